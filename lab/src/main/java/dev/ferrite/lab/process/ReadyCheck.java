package dev.ferrite.lab.process;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.IpCommand;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a lab process and waits until its {@code GET /readyz} answers 200, polling from
 * inside the host's namespace (bash's /dev/tcp: no HTTP client needed there). A process not
 * ready in time is killed and started again, at most {@code attempts} times: on a loaded
 * machine a client's first list can time out.
 */
public final class ReadyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyCheck.class);

    private final IpCommand ip;
    private final Duration bound;
    private final int attempts;

    public ReadyCheck(IpCommand ip, Duration bound, int attempts) {
        this.ip = ip;
        this.bound = bound;
        this.attempts = attempts;
    }

    /** Launches until ready on {@code port} of {@code host}; throws (naming the log) after the last attempt. */
    public LabProcess startUntilReady(Host host, int port, Supplier<LabProcess> launch) {
        for (int attempt = 1; ; attempt++) {
            LabProcess p = launch.get();
            if (awaitReady(host, port)) {
                return p;
            }
            p.kill();
            p.waitFor(Duration.ofSeconds(5));
            if (attempt >= attempts) {
                throw new IllegalStateException(p.name() + " not ready after " + attempts + " attempts of "
                        + bound.toSeconds() + " s; see " + p.log());
            }
            LOG.warn("{} not ready within {} s, starting it again", p, bound.toSeconds());
        }
    }

    /** Polls {@code GET /readyz} on {@code port} inside the host's namespace until 200, at most the bound. */
    public boolean awaitReady(Host host, int port) {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -c 12 <&3";
        long deadline = System.nanoTime() + bound.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
            var r = new Command(ip.execArgv(host.namespace(), List.of("bash", "-c", script)), Duration.ofSeconds(5)).run();
            if (r.succeeded() && r.stdout().contains(" 200")) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
