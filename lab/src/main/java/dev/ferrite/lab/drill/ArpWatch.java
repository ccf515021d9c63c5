package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.IpCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures, on the client's uplink, every claim that an IP lives at a MAC (ARP replies,
 * gratuitous ARP, IPv6 Neighbor Advertisements), with the time it was read, so a drill can
 * tell whether two nodes ever answered for one VIP. Runs tcpdump inside the client's
 * namespace; keeps at most {@value #MAX_ANSWERS} claims so a storm cannot exhaust memory.
 */
public final class ArpWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArpWatch.class);
    static final int MAX_ANSWERS = 200_000;

    private final Process process;
    private final Thread reader;
    private final List<NeighbourAnswer> answers = new ArrayList<>();

    private ArpWatch(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "arp-watch-" + process.pid());
        this.reader.setDaemon(true);
    }

    public static ArpWatch start(IpCommand ip, String namespace, String link) throws IOException {
        List<String> argv = ip.execArgv(namespace, List.of("tcpdump", "-l", "-n", "-e", "-p", "-i", link, "arp or icmp6"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ArpWatch w = new ArpWatch(p);
        w.reader.start();
        LOG.info("watching ARP/NDP answers on {} in {} (tcpdump pid {})", link, namespace, p.pid());
        return w;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                NeighbourAnswer.parse(now, line).ifPresent(a -> {
                    synchronized (answers) {
                        if (answers.size() < MAX_ANSWERS) {
                            answers.add(a);
                        }
                    }
                });
            }
        } catch (IOException e) {
            // the capture was stopped
        }
    }

    public List<NeighbourAnswer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
