package dev.ferrite.speaker.arp.pcap;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast a client's neighbour entry follows an IP from one announcer to another: from
 * the moment the new owner's {@code announce} is called to the kernel's notification that
 * the client's entry now holds the new owner's MAC (both on this machine's wall clock, read
 * from {@code ip -ts monitor neigh} in the client's namespace). The client holds a REACHABLE
 * entry for the old owner and sends nothing meanwhile, so only the gratuitous ARP (IPv4) or
 * unsolicited Neighbor Advertisement (IPv6) can move it. Root only; prints one JSON object
 * per family. Run with
 * {@code java -cp <speaker test classpath> dev.ferrite.speaker.arp.HandoverBenchmark [rounds]}.
 */
public final class HandoverBenchmark {

    private static final Pattern EVENT = Pattern.compile("^\\[([0-9T:.\\-]+)\\] (\\S+) dev br0 lladdr ([0-9a-f:]{17})");
    private static final Pattern AT = Pattern.compile("at=(\\d+)");

    private HandoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!AnnouncerNetwork.isRoot()) {
            System.err.println("needs root: creates network namespaces");
            System.exit(2);
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (AnnouncerNetwork net = AnnouncerNetwork.create("fxbench")) {
            ProcessBuilder pb = new ProcessBuilder("ip", "-n", net.client, "-ts", "monitor", "neigh");
            pb.environment().put("TZ", "UTC");
            Process monitor = pb.redirectErrorStream(true).start();
            try {
                BlockingQueue<String> events = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            events.add(line);
                        }
                    } catch (java.io.IOException e) {
                        // monitor stopped
                    }
                });
                reader.setDaemon(true);
                reader.start();
                Thread.sleep(300);
                measure(net, "IPv4", "198.18.10.200", rounds, events);
                measure(net, "IPv6", "2001:db8:10::200", rounds, events);
            } finally {
                monitor.destroy();
                monitor.waitFor(3, TimeUnit.SECONDS);
            }
        }
    }

    private static void measure(AnnouncerNetwork net, String family, String vip, int rounds,
            BlockingQueue<String> events) throws Exception {
        AnnouncerNetwork.Announcer owner = net.a();
        AnnouncerNetwork.Announcer other = net.b();
        owner.ask("announce " + vip);
        AnnouncerNetwork.run(List.of("ip", "netns", "exec", net.client, "ping", "-c1", "-W1", vip));
        List<Double> millis = new ArrayList<>();
        int missed = 0;
        for (int i = 0; i < rounds; i++) {
            String newMac = other == net.a() ? AnnouncerNetwork.MAC_A : AnnouncerNetwork.MAC_B;
            owner.ask("withdraw " + vip);
            events.clear();
            Matcher at = AT.matcher(other.ask("announce-timed " + vip));
            if (!at.find()) {
                throw new IllegalStateException("announcer did not report its time");
            }
            long startMicros = Long.parseLong(at.group(1));
            long seenMicros = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (seenMicros < 0 && System.nanoTime() < deadline) {
                String line = events.poll(100, TimeUnit.MILLISECONDS);
                Matcher m = line == null ? null : EVENT.matcher(line);
                if (m != null && m.find() && m.group(2).equals(vip) && m.group(3).equals(newMac)) {
                    LocalDateTime t = LocalDateTime.parse(m.group(1));
                    seenMicros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1_000;
                }
            }
            if (seenMicros < 0) {
                missed++;
            } else {
                millis.add((seenMicros - startMicros) / 1000.0);
            }
            AnnouncerNetwork.Announcer swap = owner;
            owner = other;
            other = swap;
            Thread.sleep(100);
        }
        owner.ask("withdraw " + vip);
        Collections.sort(millis);
        System.out.printf("{\"benchmark\":\"handover-to-client-neighbour-entry\",\"family\":\"%s\",\"rounds\":%d,"
                + "\"missed\":%d,\"minMs\":%.3f,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"maxMs\":%.3f}%n",
                family, rounds, missed, pct(millis, 0), pct(millis, 50), pct(millis, 90), pct(millis, 100));
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
