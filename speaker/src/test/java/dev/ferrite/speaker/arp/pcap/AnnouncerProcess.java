package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.AnnouncerCounts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * A {@link PcapAnnouncer} in its own JVM, driven line by line over stdin, so that the
 * end-to-end test can run it inside a network namespace ({@code ip netns exec NS java ...})
 * where it sees only that namespace's interfaces, exactly as a speaker on a node would.
 *
 * <pre>
 * announce IP [IFACE,...]   → ok changed|unchanged
 * announce-timed IP         → ok changed|unchanged at=EPOCH_MICROS (wall clock just before announcing)
 * withdraw IP               → ok withdrawn|absent
 * counters                  → counters requests=N replies=N gratuitous=N malformed=N
 * inject IFACE HEX          → ok injected (sends a raw frame, for malformed-frame tests)
 * refresh IP=MS[,IP=MS...]  → ok refresh N (these IPs' own refresh periods, as L2Advertisements' garpRefresh set them)
 * probe IP [MEMBER_MACS]    → probed free ms=N | probed in-use MAC HOW... on IFACE ms=N (MEMBER_MACS: comma-separated
 *                             MACs of other cluster members, whose answers are no conflict)
 * quit (or end of input)    → closes the announcer and exits
 * </pre>
 * On start it prints {@code ready IFACE=MAC ...} with the interfaces it captures on. The one
 * argument it takes, {@code --garp-refresh=MS}, is the speaker's flag of that name: every
 * announced IP without a period of its own is re-announced that often.
 */
public final class AnnouncerProcess {

    private AnnouncerProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PcapAnnouncer.Settings settings = PcapAnnouncer.Settings.DEFAULT;
        for (String arg : args) {
            if (arg.startsWith("--garp-refresh=")) {
                Duration period = Duration.ofMillis(Long.parseLong(arg.substring("--garp-refresh=".length())));
                settings = new PcapAnnouncer.Settings(settings.interfaces(), settings.excludePatterns(),
                        settings.schedule().withRefresh(period));
            }
        }
        try (PcapAnnouncer announcer = PcapAnnouncer.start(settings)) {
            StringJoiner ready = new StringJoiner(" ", "ready ", "");
            announcer.interfaces().forEach((name, mac) -> ready.add(name + "=" + mac));
            out.println(ready);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.trim().split("\\s+");
                switch (w[0]) {
                    case "announce" -> {
                        Set<String> names = w.length > 2 ? Set.of(w[2].split(",")) : Set.of();
                        out.println(announcer.announceAll(Map.of(ip(w[1]), names)).isEmpty() ? "ok unchanged" : "ok changed");
                    }
                    case "announce-timed" -> {
                        java.time.Instant at = java.time.Instant.now();
                        boolean changed = !announcer.announceAll(Map.of(ip(w[1]), Set.of())).isEmpty();
                        out.println((changed ? "ok changed" : "ok unchanged") + " at="
                                + (at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000));
                    }
                    case "announce-all" -> {
                        Map<IpAddress, Set<String>> wanted = new TreeMap<>();
                        for (String text : w[1].split(",")) {
                            wanted.put(ip(text), Set.of());
                        }
                        out.println("ok changed " + announcer.announceAll(wanted).size());
                    }
                    case "withdraw" -> {
                        boolean announced = announcer.announcements().containsKey(ip(w[1]));
                        announcer.withdraw(ip(w[1]));
                        out.println(announced ? "ok withdrawn" : "ok absent");
                    }
                    case "counters" -> {
                        AnnouncerCounts c = announcer.counts();
                        out.println("counters requests=" + (c.arpRequests() + c.ndpRequests()) + " replies="
                                + c.repliesSent() + " gratuitous=" + c.gratuitousSent() + " malformed="
                                + c.malformedFrames());
                    }
                    case "inject" -> {
                        try (PcapHandle h = new PcapHandle.Builder(w[1])
                                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).build()) {
                            h.sendPacket(HexFormat.of().parseHex(w[2]));
                        }
                        out.println("ok injected");
                    }
                    case "refresh" -> {
                        Map<IpAddress, Duration> periods = new TreeMap<>();
                        for (String pair : w[1].split(",")) {
                            String[] ipAndMillis = pair.split("=");
                            periods.put(ip(ipAndMillis[0]), Duration.ofMillis(Long.parseLong(ipAndMillis[1])));
                        }
                        announcer.refreshPeriods(periods);
                        out.println("ok refresh " + periods.size());
                    }
                    case "probe" -> {
                        Set<String> members = w.length > 2 ? Set.of(w[2].split(",")) : Set.of();
                        announcer.watchClaims(members::contains, c -> { });
                        java.util.concurrent.CompletableFuture<dev.ferrite.speaker.model.ProbeResult> done =
                                new java.util.concurrent.CompletableFuture<>();
                        long started = System.nanoTime();
                        announcer.probe(Map.of(ip(w[1]), Set.of()), done::complete);
                        dev.ferrite.speaker.model.ProbeResult r = done.get(5, java.util.concurrent.TimeUnit.SECONDS);
                        long ms = (System.nanoTime() - started) / 1_000_000;
                        out.println(r instanceof dev.ferrite.speaker.model.ProbeResult.InUse u
                                ? "probed in-use " + u.mac() + " " + u.how() + " on " + u.interfaceName() + " ms=" + ms
                                : "probed free ms=" + ms);
                    }
                    case "ignore-probes-from" -> {
                        Set<String> macs = w.length > 1 ? Set.of(w[1].split(",")) : Set.of();
                        announcer.ignoreProbesFrom(macs);
                        out.println("ok ignoring " + macs.size());
                    }
                    case "resolve" -> {
                        List<IpAddress> peers = new ArrayList<>();
                        for (String text : w[1].split(",")) {
                            peers.add(ip(text));
                        }
                        announcer.resolveNeighbours(peers);
                        out.println("ok asked " + peers.size());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> out.println("error unknown command " + w[0]);
                }
            }
        }
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow(() -> new IllegalArgumentException("not an IP: " + text));
    }
}
