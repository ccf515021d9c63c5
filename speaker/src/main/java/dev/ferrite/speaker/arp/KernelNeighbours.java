package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neighbours the kernel of this network namespace is still resolving or gave up on:
 * what {@code ip neigh show nud incomplete nud failed} lists. After a link outage these are
 * the hosts the node tried to reach meanwhile (its clients, the other nodes), and every packet
 * to them waits for the kernel's next retry, up to a second later.
 */
public final class KernelNeighbours {

    private static final Logger log = LoggerFactory.getLogger(KernelNeighbours.class);
    private static final long TIMEOUT_MS = 2_000;

    private KernelNeighbours() {
    }

    /** Runs {@code ip}; empty (logged) when it cannot be run or fails. */
    public static List<IpAddress> unresolved() {
        List<String> command = List.of("ip", "neigh", "show", "nud", "incomplete", "nud", "failed");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("'{}' did not finish within {} ms", String.join(" ", command), TIMEOUT_MS);
                return List.of();
            }
            if (p.exitValue() != 0) {
                log.warn("'{}' failed ({}): {}", String.join(" ", command), p.exitValue(), out.strip());
                return List.of();
            }
            return parse(out);
        } catch (IOException e) {
            log.warn("cannot run '{}': {}", String.join(" ", command), e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The address at the start of each line of {@code ip neigh show}; lines that do not start with one are skipped. */
    static List<IpAddress> parse(String output) {
        List<IpAddress> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String first = line.strip().split("\\s+", 2)[0];
            Optional<IpAddress> ip = first.isEmpty() ? Optional.empty() : IpAddress.parse(first);
            ip.ifPresent(out::add);
        }
        return out;
    }
}
