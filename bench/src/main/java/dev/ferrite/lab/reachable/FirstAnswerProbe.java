package dev.ferrite.lab.reachable;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs in the lab's client namespace. Reads target addresses appended to a file (one per
 * line, as the benchmark learns them) and, for each, keeps one HTTP GET in flight until the
 * first answer, which it prints as {@code answered IP T_NANOS BODY}; {@code T_NANOS} is
 * {@link System#nanoTime()}, the machine's monotonic clock, so the benchmark's JVM can
 * compare it with its own readings. One thread and a selector, so a thousand targets cost
 * one thread. A connect that has not completed in {@value #ATTEMPT_MS} ms is abandoned and
 * tried again: a SYN dropped by a full accept queue would otherwise wait a full second for
 * its retransmission.
 *
 * <p>A line {@code gone IP} (a deleted Service's address) turns the address into one that is
 * asked again every {@value #GONE_EVERY_MS} ms for as long as the probe runs, printing
 * {@code still IP T_NANOS} for every answer: the benchmark flushes the client's neighbour
 * entries meanwhile, so each answer means some node still answered ARP for it. A line
 * {@code forget IP} stops that, and an address given as a target again (a new Service got it)
 * is a target like any other.
 */
public final class FirstAnswerProbe {

    public static final String ANSWERED = "answered ";
    public static final String READY = "probe ready";
    static final long ATTEMPT_MS = 200;
    static final long RETRY_MS = 5;
    static final long GONE_EVERY_MS = 50;
    public static final String STILL = "still ";

    private FirstAnswerProbe() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: FirstAnswerProbe TARGETS_FILE PORT");
            System.exit(2);
        }
        Path targets = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        new Run(targets, port).loop();
    }

    private static final class Attempt {
        final String ip;
        final long startedNanos;
        final ByteBuffer in = ByteBuffer.allocate(512);
        boolean sent;

        Attempt(String ip, long startedNanos) {
            this.ip = ip;
            this.startedNanos = startedNanos;
        }
    }

    private static final class Run {
        private final Path targets;
        private final int port;
        private final Selector selector;
        private final Map<String, Long> retryAt = new HashMap<>();
        private final java.util.Set<String> gone = new java.util.HashSet<>();
        private long offset;
        private final StringBuilder partial = new StringBuilder();

        Run(Path targets, int port) throws IOException {
            this.targets = targets;
            this.port = port;
            this.selector = Selector.open();
        }

        void loop() throws IOException {
            System.out.println(READY);
            System.out.flush();
            byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (true) {
                readTargets();
                long now = System.nanoTime();
                List<String> due = new ArrayList<>();
                retryAt.forEach((ip, at) -> {
                    if (at <= now) {
                        due.add(ip);
                    }
                });
                for (String ip : due) {
                    retryAt.remove(ip);
                    start(ip);
                }
                selector.select(2);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Attempt a = (Attempt) key.attachment();
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable() && ch.finishConnect()) {
                            ch.write(ByteBuffer.wrap(request));
                            a.sent = true;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            int n = ch.read(a.in);
                            String text = new String(a.in.array(), 0, a.in.position(), StandardCharsets.UTF_8);
                            int body = text.indexOf("\r\n\r\n");
                            if (text.startsWith("HTTP/1.1 200") && body >= 0 && text.indexOf('\n', body + 4) >= 0) {
                                String answer = text.substring(body + 4).trim();
                                boolean isGone = gone.contains(a.ip);
                                System.out.println((isGone ? STILL : ANSWERED) + a.ip + " " + System.nanoTime() + " " + answer);
                                System.out.flush();
                                key.cancel();
                                ch.close();
                                if (isGone) {
                                    retryAt.put(a.ip, System.nanoTime() + GONE_EVERY_MS * 1_000_000);
                                }
                            } else if (n < 0 || !a.in.hasRemaining()) {
                                fail(key, a);
                            }
                        }
                    } catch (IOException e) {
                        fail(key, a);
                    }
                }
                long t = System.nanoTime();
                for (SelectionKey key : selector.keys()) {
                    Attempt a = (Attempt) key.attachment();
                    if (key.isValid() && !a.sent && t - a.startedNanos > ATTEMPT_MS * 1_000_000) {
                        fail(key, a);
                    }
                }
            }
        }

        private void start(String ip) {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                Attempt a = new Attempt(ip, System.nanoTime());
                if (ch.connect(new InetSocketAddress(ip, port))) {
                    ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    a.sent = true;
                    ch.register(selector, SelectionKey.OP_READ, a);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, a);
                }
            } catch (IOException e) {
                retryAt.put(ip, System.nanoTime() + RETRY_MS * 1_000_000);
            }
        }

        private void fail(SelectionKey key, Attempt a) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing a failed attempt
            }
            retryAt.put(a.ip, System.nanoTime() + (gone.contains(a.ip) ? GONE_EVERY_MS : RETRY_MS) * 1_000_000);
        }

        private void readTargets() throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(targets.toFile(), "r")) {
                if (f.length() <= offset) {
                    return;
                }
                f.seek(offset);
                byte[] buf = new byte[(int) (f.length() - offset)];
                f.readFully(buf);
                offset += buf.length;
                partial.append(new String(buf, StandardCharsets.US_ASCII));
            } catch (java.io.FileNotFoundException e) {
                return;
            }
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String ip = partial.substring(0, nl).trim();
                partial.delete(0, nl + 1);
                if (ip.startsWith("gone ")) {
                    String g = ip.substring(5).trim();
                    if (gone.add(g)) {
                        retryAt.put(g, System.nanoTime());
                    }
                } else if (ip.startsWith("forget ")) {
                    String f = ip.substring(7).trim();
                    gone.remove(f);
                    retryAt.remove(f);
                } else if (!ip.isEmpty()) {
                    gone.remove(ip);
                    retryAt.remove(ip);
                    start(ip);
                }
            }
        }
    }
}
