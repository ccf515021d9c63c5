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
 * The client side of the handoff benchmark and end-to-end test, run in the client namespace: keep-alive
 * connections that each send a line every 10 ms and read the answer (the serving pod's name).
 * A connection counts as broken when it is reset or closed, or when an answer takes more than
 * 1 s. Commands on stdin, one answer line each:
 * <ul>
 * <li>{@code open N} or {@code open N from PORT}: opens N new connections, from ports chosen by
 *     the kernel or from PORT upwards (the old ones keep running);</li>
 * <li>{@code close}: ends every connection the way a server ends one (the pod closes it on
 *     {@code bye}, then the client), forgets them, prints how many;</li>
 * <li>{@code report}: {@code open=.. broken=.. answers=name:count,...}, the answers since the
 *     last report (round trips: {@code stats});</li>
 * <li>{@code stats}: the round trips since the last {@code stats}, by answering pod:
 *     {@code name n=.. p50_us=.. p90_us=.. p99_us=.. mean_us=..}, several separated by
 *     {@code ;} (up to {@value #SAMPLES_PER_FLOW} per connection are kept between two calls);</li>
 * <li>{@code fresh} or {@code fresh from PORT}: one new connection, one line, prints who answered.</li>
 * </ul>
 */
public final class KeepAliveClient {

    /** Round trips kept per connection between two {@code stats}: 100 s of answers every 10 ms. */
    static final int SAMPLES_PER_FLOW = 10_000;

    private static final class Flow {
        volatile boolean broken;
        volatile boolean closing;
        volatile boolean ended;
        final Map<String, Integer> answers = new TreeMap<>();
        final Map<String, long[]> samples = new TreeMap<>();
        final Map<String, Integer> sampleCounts = new TreeMap<>();

        void sample(String answer, long nanos) {
            long[] kept = samples.computeIfAbsent(answer, k -> new long[SAMPLES_PER_FLOW]);
            int n = sampleCounts.getOrDefault(answer, 0);
            if (n < kept.length) {
                kept[n] = nanos;
                sampleCounts.put(answer, n + 1);
            }
        }
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
                    int from = w.length == 4 && w[2].equals("from") ? Integer.parseInt(w[3]) : 0;
                    int failed = 0;
                    for (int i = 0; i < n; i++) {
                        try {
                            open(host, port, from == 0 ? 0 : from + i);
                        } catch (Exception e) {
                            failed++;
                        }
                    }
                    System.out.println("opened " + (n - failed) + " failed " + failed);
                }
                case "close" -> System.out.println("closed " + closeAll());
                case "report" -> System.out.println(report());
                case "stats" -> System.out.println(stats());
                case "fresh" -> System.out.println(fresh(host, port,
                        w.length == 3 && w[1].equals("from") ? Integer.parseInt(w[2]) : 0));
                default -> System.out.println("unknown " + w[0]);
            }
            System.out.flush();
        }
    }

    /** A socket bound to {@code localPort} (0: any), as a client reusing its port would be. */
    private static Socket socket(int localPort) throws Exception {
        Socket s = new Socket();
        if (localPort != 0) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(localPort));
        }
        return s;
    }

    private static void open(String host, int port, int localPort) throws Exception {
        Socket s = socket(localPort);
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
                if (f.closing) {
                    out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    while (in.readLine() != null) {
                        // answers still in flight, then the pod's close
                    }
                    f.ended = true;
                    return;
                }
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
                    f.sample(a, rtt);
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
        Map<String, Integer> answers = new TreeMap<>();
        for (Flow f : flows) {
            if (f.broken) {
                broken++;
            } else {
                open++;
            }
            synchronized (f) {
                f.answers.forEach((k, v) -> answers.merge(k, v, Integer::sum));
                f.answers.clear();
            }
        }
        StringBuilder a = new StringBuilder();
        answers.forEach((k, v) -> a.append(a.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return "open=" + open + " broken=" + broken + " answers=" + a;
    }

    private static String stats() {
        Map<String, long[]> all = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Flow f : flows) {
            synchronized (f) {
                f.sampleCounts.forEach((answer, n) -> {
                    long[] mine = f.samples.get(answer);
                    long[] sofar = all.getOrDefault(answer, new long[0]);
                    int have = counts.getOrDefault(answer, 0);
                    long[] merged = java.util.Arrays.copyOf(sofar, have + n);
                    System.arraycopy(mine, 0, merged, have, n);
                    all.put(answer, merged);
                    counts.put(answer, have + n);
                });
                f.sampleCounts.clear();
            }
        }
        StringBuilder b = new StringBuilder();
        all.forEach((answer, rtts) -> {
            java.util.Arrays.sort(rtts);
            long sum = 0;
            for (long r : rtts) {
                sum += r;
            }
            b.append(b.length() == 0 ? "" : ";").append(answer).append(" n=").append(rtts.length)
                    .append(" p50_us=").append(percentile(rtts, 50) / 1000)
                    .append(" p90_us=").append(percentile(rtts, 90) / 1000)
                    .append(" p99_us=").append(percentile(rtts, 99) / 1000)
                    .append(" mean_us=").append(sum / rtts.length / 1000);
        });
        return b.toString();
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Ends every connection, the pod closing first (so the client keeps no TIME_WAIT); how many ended. */
    private static int closeAll() throws InterruptedException {
        List<Flow> open = flows.stream().filter(f -> !f.broken).toList();
        open.forEach(f -> f.closing = true);
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (open.stream().anyMatch(f -> !f.ended && !f.broken) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        flows.removeAll(open);
        return (int) open.stream().filter(f -> f.ended).count();
    }

    private static String fresh(String host, int port, int localPort) {
        try (Socket s = socket(localPort)) {
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
