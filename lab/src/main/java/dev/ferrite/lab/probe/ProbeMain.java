package dev.ferrite.lab.probe;

import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The client probe as a process: run inside the client's namespace, it probes the given
 * VIPs and writes one JSON line per result to stdout (see {@link ProbeResult}), and, with
 * {@code --keepalive}, holds long-lived connections and writes their {@link ConnectionEvent}s. Exits 0
 * when its bound is reached or on SIGTERM (after flushing what it has), 2 on bad arguments.
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProbeOptions options;
        ProbeOptions.Parsed parsed = ProbeOptions.parse(args);
        if (parsed instanceof ProbeOptions.Parsed.Invalid invalid) {
            System.err.println("ProbeMain: " + invalid.message());
            System.exit(2);
            return;
        }
        options = ((ProbeOptions.Parsed.Valid) parsed).options();
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        Prober prober = new Prober(options, r -> write(out, r.toJson()));
        KeepAliveProber connections = new KeepAliveProber(options.vips(), options.port(), options.keepAlive(),
                options.keepAliveInterval().toNanos(), e -> write(out, e.toJson()));
        Thread drain = new Thread(() -> {
            prober.stop();
            connections.stop();
            try {
                prober.join(options.connectTimeout().plus(options.readTimeout()).toMillis() + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flush(out);
        }, "probe-stop");
        Runtime.getRuntime().addShutdownHook(drain);
        prober.start();
        connections.start();
        prober.join(options.duration().toMillis() + options.connectTimeout().plus(options.readTimeout()).toMillis() + 1000);
        flush(out);
    }

    /** Starts the probe in the client's namespace; read its results with {@link ProbeResult#readAll}. */
    public static LabProcess startOn(LabProcesses processes, Host client, ProbeOptions options) {
        return processes.startDataPathJava(client, "probe", LabProcesses.HOT_PATH_JVM_OPTIONS, ProbeMain.class.getName(),
                options.toArgs());
    }

    private static void write(BufferedWriter out, String line) {
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                // flushed per line: drills and tests read the log while the probe runs
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void flush(BufferedWriter out) {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                // stdout gone: nothing left to tell anyone
            }
        }
    }
}
