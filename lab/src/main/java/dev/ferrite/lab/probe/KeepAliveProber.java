package dev.ferrite.lab.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The client's long-lived connections: {@code perVip} TCP connections to every VIP, each
 * sending {@code GET /} (HTTP/1.1 keep-alive) every {@code interval} and reading the answer
 * before the next, for as long as the probe runs. What happens to each connection goes out
 * as {@link ConnectionEvent}s; a connection that ended is opened again a moment later, so
 * the next fault finds connections to break. One thread per connection: they block on
 * their socket, and a few hundred threads are cheap next to a busy loop.
 */
public final class KeepAliveProber {
    /** An answer later than this after the one before is reported as a gap. */
    public static final long GAP_MILLIS = 50;
    static final long BEAT_MILLIS = 500;
    /** No answer for this long and the connection is given up as stalled. */
    static final int GIVE_UP_MILLIS = 10_000;
    static final long REOPEN_MILLIS = 100;

    private final List<String> vips;
    private final int port;
    private final int perVip;
    private final long intervalNanos;
    private final Consumer<ConnectionEvent> sink;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    public KeepAliveProber(List<String> vips, int port, int perVip, long intervalNanos, Consumer<ConnectionEvent> sink) {
        this.vips = List.copyOf(vips);
        this.port = port;
        this.perVip = perVip;
        this.intervalNanos = intervalNanos;
        this.sink = sink;
    }

    public synchronized void start() {
        int n = 0;
        for (String vip : vips) {
            for (int k = 0; k < perVip; k++) {
                String id = vip + "#" + k;
                // spread the connections' request times over the interval
                long offset = intervalNanos * (n++ % Math.max(1, vips.size() * perVip)) / Math.max(1, vips.size() * perVip);
                Thread t = new Thread(() -> run(vip, id, offset), "keepalive-" + id);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
    }

    public void stop() {
        stopping.set(true);
    }

    private void run(String vip, String id, long offsetNanos) {
        InetAddress address;
        try {
            address = InetAddress.getByName(vip);
        } catch (IOException e) {
            return;
        }
        sleepNanos(offsetNanos);
        for (int generation = 1; !stopping.get(); generation++) {
            connection(vip, address, id + "." + generation);
            sleepNanos(REOPEN_MILLIS * 1_000_000);
        }
    }

    /** One connection from open to end. */
    private void connection(String vip, InetAddress address, String id) {
        long last = 0;
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            try {
                s.connect(new InetSocketAddress(address, port), 1000);
            } catch (IOException e) {
                return;
            }
            s.setSoTimeout((int) BEAT_MILLIS);
            long now = System.nanoTime();
            last = now;
            emit(id, vip, ConnectionEvent.Kind.OPEN, now, now, Optional.empty(), Optional.empty(), Optional.empty());
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] request = ("GET / HTTP/1.1\r\nHost: " + vip + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            String pod = null;
            String node = null;
            long nextBeat = now + BEAT_MILLIS * 1_000_000;
            long due = now;
            while (!stopping.get()) {
                sleepNanos(due - System.nanoTime());
                due = Math.max(due + intervalNanos, System.nanoTime());
                out.write(request);
                out.flush();
                String body;
                while (true) {
                    try {
                        body = readResponse(in);
                        break;
                    } catch (SocketTimeoutException e) {
                        long t = System.nanoTime();
                        emit(id, vip, ConnectionEvent.Kind.BEAT, t, last, Optional.empty(), Optional.empty(), Optional.empty());
                        nextBeat = t + BEAT_MILLIS * 1_000_000;
                        if (t - last > GIVE_UP_MILLIS * 1_000_000L) {
                            emit(id, vip, ConnectionEvent.Kind.END, t, last, Optional.empty(), Optional.empty(), Optional.of("stalled"));
                            return;
                        }
                    }
                }
                long t = System.nanoTime();
                if (body == null) {
                    emit(id, vip, ConnectionEvent.Kind.END, t, last, Optional.empty(), Optional.empty(), Optional.of("closed"));
                    return;
                }
                String p = field(body, "pod=");
                String n = field(body, "node=");
                if (t - last > GAP_MILLIS * 1_000_000) {
                    emit(id, vip, ConnectionEvent.Kind.GAP, t, last, Optional.ofNullable(p), Optional.ofNullable(n), Optional.empty());
                }
                last = t;
                if (pod == null || !java.util.Objects.equals(p, pod) || !java.util.Objects.equals(n, node)) {
                    pod = p == null ? "" : p;
                    node = n;
                    emit(id, vip, ConnectionEvent.Kind.ANSWER, t, t, Optional.of(pod), Optional.ofNullable(n), Optional.empty());
                }
                if (t >= nextBeat) {
                    emit(id, vip, ConnectionEvent.Kind.BEAT, t, last, Optional.empty(), Optional.empty(), Optional.empty());
                    nextBeat = t + BEAT_MILLIS * 1_000_000;
                }
            }
        } catch (SocketException e) {
            emit(id, vip, ConnectionEvent.Kind.END, System.nanoTime(), last, Optional.empty(), Optional.empty(),
                    Optional.of(e.getMessage() != null && e.getMessage().toLowerCase().contains("reset") ? "reset" : "reset"));
        } catch (IOException e) {
            emit(id, vip, ConnectionEvent.Kind.END, System.nanoTime(), last, Optional.empty(), Optional.empty(), Optional.of("reset"));
        }
    }

    /** One HTTP/1.1 response with a Content-Length; its body, or null when the server closed the connection. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String field(String body, String prefix) {
        for (String line : body.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return null;
    }

    private void emit(String id, String vip, ConnectionEvent.Kind kind, long t, long last, Optional<String> pod,
                      Optional<String> node, Optional<String> why) {
        sink.accept(new ConnectionEvent(id, vip, kind, t, last, pod, node, why));
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
