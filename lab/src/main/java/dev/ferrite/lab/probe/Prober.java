package dev.ferrite.lab.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The client's probe loop: one scheduling thread per VIP starts a probe on every slot of a
 * fixed grid (every 5 ms by default), each probe a fresh TCP connection and {@code GET /}, so
 * every probe goes through the client's neighbour table and reaches whichever node holds the
 * VIP at that moment. Probes run concurrently (bounded per VIP) rather than one after another: a probe
 * hanging in its 50 ms connect timeout must not hide the moment the VIP answers again, or
 * every measured outage would carry up to a connect timeout of error. A slot is skipped,
 * never made up in a burst, when the scheduler falls behind or too many probes hang.
 * Each VIP's grid is shifted by its share of the interval ({@link #phaseNanos}), so the
 * client's connections are spread evenly over time: with every grid aligned, 100 VIPs opened
 * 100 connections in the same millisecond every 100 ms, and the lab's queueing behind that
 * burst alone pushed some answers past the 50 ms connect timeout while the same nodes
 * answered the burst's other probes.
 * Stops at the count or duration bound, or when {@link #stop()} is called.
 */
public final class Prober {

    private static final Path PROC_NET_ARP = Path.of("/proc/net/arp");
    private static final int MAX_ANSWER_BYTES = 4096;

    private final ProbeOptions options;
    private final Consumer<ProbeResult> sink;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "probe");
        t.setDaemon(true);
        return t;
    });
    private final int maxInFlight;

    /** @param sink receives results from several threads; it must be thread-safe */
    public Prober(ProbeOptions options, Consumer<ProbeResult> sink) {
        this.options = options;
        this.sink = sink;
        long worst = options.connectTimeout().plus(options.readTimeout()).toNanos();
        this.maxInFlight = (int) Math.min(16, worst / options.interval().toNanos() + 2);
    }

    public synchronized void start() {
        long interval = options.interval().toNanos();
        int vips = options.vips().size();
        long now = System.nanoTime();
        for (int i = 0; i < vips; i++) {
            String vip = options.vips().get(i);
            long start = now + phaseNanos(i, vips, interval);
            Thread t = new Thread(() -> loop(vip, start), "probe-" + vip);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public void stop() {
        stopping.set(true);
    }

    /** Where in each interval the {@code index}-th of {@code vips} VIPs is probed: evenly spread, the first at 0. */
    static long phaseNanos(int index, int vips, long intervalNanos) {
        return vips <= 1 ? 0 : intervalNanos * index / vips;
    }

    /** Waits for the schedulers and then the probes in flight, at most {@code millis} in total. */
    public void join(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        probes.shutdown();
        probes.awaitTermination(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    private void loop(String vip, long start) {
        InetAddress address;
        try {
            address = InetAddress.getByName(vip);
        } catch (IOException e) {
            sink.accept(new ProbeResult.Failed(System.nanoTime(), vip, "not an address", 0));
            return;
        }
        long interval = options.interval().toNanos();
        long end = start + options.duration().toNanos();
        long slot = 0;
        Semaphore inFlight = new Semaphore(maxInFlight);
        for (long done = 0; done < options.count() && !stopping.get(); done++) {
            long due = start + slot * interval;
            long now = System.nanoTime();
            if (due > now) {
                sleepNanos(due - now);
            }
            if (System.nanoTime() >= end || stopping.get()) {
                return;
            }
            if (inFlight.tryAcquire()) {
                probes.execute(() -> {
                    try {
                        sink.accept(probe(vip, address));
                    } finally {
                        inFlight.release();
                    }
                });
            }
            slot = Math.max(slot + 1, (System.nanoTime() - start) / interval + 1);
        }
    }

    /** One TCP connect + {@code GET /}; never throws. */
    public ProbeResult probe(String vip, InetAddress address) {
        long t = System.nanoTime();
        try (Socket s = new Socket()) {
            // reset on close: tens of thousands of probes must not pile up in TIME_WAIT
            s.setSoLinger(true, 0);
            s.setTcpNoDelay(true);
            try {
                s.connect(new InetSocketAddress(address, options.port()), (int) options.connectTimeout().toMillis());
            } catch (SocketTimeoutException e) {
                return failed(t, vip, "connect timeout");
            } catch (ConnectException e) {
                return failed(t, vip, e.getMessage() != null && e.getMessage().contains("refused") ? "refused" : "connect failed");
            } catch (NoRouteToHostException e) {
                return failed(t, vip, "no route to host");
            }
            s.setSoTimeout((int) options.readTimeout().toMillis());
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + vip + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = readAnswer(s.getInputStream());
            } catch (SocketTimeoutException e) {
                return failed(t, vip, "read timeout");
            }
            Optional<String> node = nodeIn(answer);
            if (node.isEmpty()) {
                return failed(t, vip, "answer without node=");
            }
            return new ProbeResult.Answered(t, vip, node.get(), macOf(vip), micros(t));
        } catch (SocketException e) {
            return failed(t, vip, "reset");
        } catch (IOException e) {
            return failed(t, vip, "io: " + e.getMessage());
        }
    }

    /** The {@code node=<name>} line of the body. */
    static Optional<String> nodeIn(String answer) {
        int body = answer.indexOf("\r\n\r\n");
        if (!answer.startsWith("HTTP/1.1 200") || body < 0) {
            return Optional.empty();
        }
        for (String line : answer.substring(body + 4).split("\n")) {
            if (line.startsWith("node=")) {
                return Optional.of(line.substring(5).strip());
            }
        }
        return Optional.empty();
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] buf = new byte[512];
        int n;
        while (out.size() < MAX_ANSWER_BYTES && (n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static Optional<String> macOf(String vip) {
        if (vip.indexOf(':') >= 0) {
            return Optional.empty();
        }
        try {
            return ProcNetArp.macOf(Files.readString(PROC_NET_ARP), vip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ProbeResult failed(long t, String vip, String error) {
        return new ProbeResult.Failed(t, vip, error, micros(t));
    }

    private static long micros(long t) {
        return (System.nanoTime() - t) / 1000;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
