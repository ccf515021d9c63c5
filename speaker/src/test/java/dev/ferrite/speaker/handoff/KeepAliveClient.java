package dev.ferrite.speaker.handoff;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client side of the handoff end-to-end test, run in the client namespace: keep-alive
 * connections that each send a line every 10 ms and read the answer (the serving pod's name).
 * A connection counts as broken when it is reset or closed, or when an answer takes more than
 * 1 s. Commands on stdin, one answer line each:
 * <ul>
 * <li>{@code open N}: opens N new connections (the old ones keep running);</li>
 * <li>{@code report}: {@code open=.. broken=.. answers=name:count,...} since the last report, and
 *     the mean round trip of the answers in microseconds, overall and by answering pod;</li>
 * <li>{@code fresh}: one new connection, one line, prints who answered.</li>
 * </ul>
 */
public final class KeepAliveClient {

    private static final class Flow {
        volatile boolean broken;
        final Map<String, Integer> answers = new TreeMap<>();
        final Map<String, Long> rttByAnswer = new TreeMap<>();
        long rttNanos;
        long rtts;
    }

    private static final List<Flow> flows = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println("ready");
        System.out.flush();
        String line;
        while ((line = stdin.readLine()) != null) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "open" -> {
                    int n = Integer.parseInt(w[1]);
                    int failed = 0;
                    for (int i = 0; i < n; i++) {
                        try {
                            open(host, port);
                        } catch (Exception e) {
                            failed++;
                        }
                    }
                    System.out.println("opened " + (n - failed) + " failed " + failed);
                }
                case "report" -> System.out.println(report());
                case "fresh" -> System.out.println(fresh(host, port));
                default -> System.out.println("unknown " + w[0]);
            }
            System.out.flush();
        }
    }

    private static void open(String host, int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 1000);
        s.setTcpNoDelay(true);
        s.setSoTimeout(1000);
        Flow f = new Flow();
        flows.add(f);
        Thread t = new Thread(() -> run(s, f));
        t.setDaemon(true);
        t.start();
    }

    private static void run(Socket s, Flow f) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            while (true) {
                long t0 = System.nanoTime();
                out.write("x\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String a = in.readLine();
                long rtt = System.nanoTime() - t0;
                if (a == null) {
                    throw new IllegalStateException("closed");
                }
                synchronized (f) {
                    f.answers.merge(a, 1, Integer::sum);
                    f.rttByAnswer.merge(a, rtt, Long::sum);
                    f.rttNanos += rtt;
                    f.rtts++;
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            f.broken = true;
        }
    }

    private static String report() {
        int open = 0;
        int broken = 0;
        long rtt = 0;
        long n = 0;
        Map<String, Integer> answers = new TreeMap<>();
        Map<String, Long> rttByAnswer = new TreeMap<>();
        for (Flow f : flows) {
            if (f.broken) {
                broken++;
            } else {
                open++;
            }
            synchronized (f) {
                f.answers.forEach((k, v) -> answers.merge(k, v, Integer::sum));
                f.rttByAnswer.forEach((k, v) -> rttByAnswer.merge(k, v, Long::sum));
                f.answers.clear();
                f.rttByAnswer.clear();
                rtt += f.rttNanos;
                n += f.rtts;
                f.rttNanos = 0;
                f.rtts = 0;
            }
        }
        StringBuilder a = new StringBuilder();
        answers.forEach((k, v) -> a.append(a.length() == 0 ? "" : ",").append(k).append(':').append(v));
        StringBuilder per = new StringBuilder();
        rttByAnswer.forEach((k, v) -> per.append(per.length() == 0 ? "" : ",").append(k).append(':')
                .append(v / answers.get(k) / 1000));
        return "open=" + open + " broken=" + broken + " answers=" + a + " rtt_us=" + (n == 0 ? 0 : rtt / n / 1000)
                + " rtt_us_by_answer=" + per;
    }

    private static String fresh(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(1000);
            s.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
            String a = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return "answer=" + a;
        } catch (Exception e) {
            return "answer=failed " + e.getMessage();
        }
    }
}
