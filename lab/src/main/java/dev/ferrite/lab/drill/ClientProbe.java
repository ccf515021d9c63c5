package dev.ferrite.lab.drill;

import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.probe.ConnectionEvent;
import dev.ferrite.lab.probe.ProbeMain;
import dev.ferrite.lab.probe.ProbeOptions;
import dev.ferrite.lab.probe.ProbeResult;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's eyes: the probe process in the client's namespace (fresh connections and
 * long-lived ones) and a thread that follows its output into the {@link ProbeLog} and the
 * {@link ConnectionLog}. Started again when it ends (a probe process stops
 * after at most an hour, and a long drill must not go blind).
 */
public final class ClientProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProbe.class);
    /** Per IP, the newest probe samples kept: a minute at 5 ms. */
    static final int PROBE_LOG_CAPACITY = 12_000;

    private final LabProcesses processes;
    private final Host client;
    private final ProbeLog probeLog = new ProbeLog(PROBE_LOG_CAPACITY);
    private final ConnectionLog connectionLog = new ConnectionLog();
    private ProbeOptions options;
    private LabProcess probe;
    private Thread tail;
    private volatile boolean closing;

    ClientProbe(LabProcesses processes, Host client) {
        this.processes = processes;
        this.client = client;
    }

    /**
     * Fresh probes per VIP: every 5 ms up to 5 Services, then 1 ms × Services (100 ms at 100
     * Services), so the client makes at most about 1,000 new connections a second in all.
     */
    public static long probeIntervalMillis(int vips) {
        return Math.max(5, vips);
    }

    /**
     * Requests per long-lived connection: every 10 ms up to 2 Services, then 5 ms × Services
     * (500 ms at 100 Services: with 4 connections each, 800 requests a second in all).
     */
    public static long connectionIntervalMillis(int vips) {
        return Math.max(ProbeOptions.DEFAULT_KEEPALIVE_INTERVAL.toMillis(), 5L * vips);
    }

    /**
     * One probe thread per VIP at {@link #probeIntervalMillis}, and {@code connectionsPerVip}
     * long-lived connections per VIP at {@link #connectionIntervalMillis}: the client stays
     * within what two shared cores can run.
     */
    void start(List<String> vips, int connectionsPerVip) {
        Duration interval = Duration.ofMillis(probeIntervalMillis(vips.size()));
        Duration keepAlive = Duration.ofMillis(connectionIntervalMillis(vips.size()));
        options = new ProbeOptions(vips, NodeBackend.DEFAULT_PORT, interval,
                ProbeOptions.DEFAULT_CONNECT_TIMEOUT, ProbeOptions.DEFAULT_READ_TIMEOUT, Long.MAX_VALUE, ProbeOptions.MAX_DURATION)
                .withKeepAlive(connectionsPerVip, keepAlive);
        launch();
    }

    private void launch() {
        probe = ProbeMain.startOn(processes, client, options);
        Path log = probe.log();
        tail = new Thread(() -> follow(log), "probe-tail");
        tail.setDaemon(true);
        tail.start();
    }

    /** Starts the probe again if it ended. */
    public void ensureRunning() {
        if (probe != null && !probe.isAlive() && !closing) {
            LOG.info("client probe ended, starting it again");
            tail.interrupt();
            launch();
        }
    }

    public Duration interval() {
        return options == null ? ProbeOptions.DEFAULT_INTERVAL : options.interval();
    }

    public ProbeLog log() {
        return probeLog;
    }

    public ConnectionLog connections() {
        return connectionLog;
    }

    /** How often each long-lived connection sends a request. */
    public Duration keepAliveInterval() {
        return options == null ? ProbeOptions.DEFAULT_KEEPALIVE_INTERVAL : options.keepAliveInterval();
    }

    public Optional<LabProcess> process() {
        return Optional.ofNullable(probe);
    }

    /** Follows the probe's log as it grows, feeding results into the probe log. */
    private void follow(Path log) {
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        byte[] buf = new byte[1 << 16];
        while (!closing) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                f.seek(offset);
                int n;
                boolean any = false;
                while ((n = f.read(buf)) > 0) {
                    any = true;
                    offset += n;
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        accept(line);
                    }
                }
                if (!any) {
                    Thread.sleep(10);
                }
            } catch (IOException e) {
                sleepQuietly(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void accept(String line) {
        if (line.startsWith("{\"conn\"")) {
            ConnectionEvent.parse(line).ifPresent(connectionLog::add);
        } else {
            ProbeResult.parse(line).ifPresent(r -> probeLog.add(sample(r)));
        }
    }

    static ProbeSample sample(ProbeResult r) {
        if (r instanceof ProbeResult.Answered a) {
            return new ProbeSample(a.vip(), a.tNanos(), true, Optional.of(a.node()));
        }
        return new ProbeSample(r.vip(), r.tNanos(), false, Optional.empty());
    }

    /** Stops following; the process itself stops with the lab's processes. */
    @Override
    public void close() {
        closing = true;
        if (tail != null) {
            tail.interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
