package dev.ferrite.speaker.arp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The periodic gratuitous ARP refresh on the wire: both announcers of an
 * {@link AnnouncerNetwork} run with {@code --garp-refresh=1000} (the speaker's flag), and a
 * capture on their bridge ports shows when each IP's gratuitous frames really went out —
 * after the takeover burst, once a period, at the IP's own phase, and for many IPs spread
 * over the period rather than in one burst.
 */
@Tag("netns")
class GarpRefreshNetnsTest {

    private static final long PERIOD_MS = 1000;
    /** The takeover burst ends 1 s after gaining an IP (GarpSchedule.DEFAULT); refreshes are counted after it. */
    private static final double BURST_SECONDS = 1.2;

    private static AnnouncerNetwork network;

    @BeforeAll
    static void buildNetwork() throws Exception {
        Assumptions.assumeTrue(AnnouncerNetwork.isRoot(), "needs root: creates network namespaces and captures with tcpdump");
        Assumptions.assumeTrue(AnnouncerNetwork.run(List.of("tcpdump", "--version")).exit() == 0, "needs tcpdump");
        network = AnnouncerNetwork.create("fxgr", List.of("--garp-refresh=" + PERIOD_MS));
    }

    @AfterAll
    static void tearDown() {
        if (network != null) {
            network.close();
        }
    }

    /** Capture times (s) of the gratuitous requests for {@code ip} from {@code mac}, from {@code after} on. */
    private static List<Double> requests(List<GratuitousCapture.Frame> frames, String ip, String mac, double after) {
        return frames.stream().filter(f -> f.request() && f.ip().equals(ip) && f.mac().equals(mac) && f.at() >= after)
                .map(GratuitousCapture.Frame::at).sorted().toList();
    }

    private static List<Double> gaps(List<Double> times) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    void anAnnouncedIpIsReannouncedOncePerIntervalAfterTheTakeoverBurst() throws Exception {
        String vip = "198.18.10.240";
        try (GratuitousCapture capture = GratuitousCapture.start(network.client, "pa")) {
            double announced = System.currentTimeMillis() / 1000.0;
            assertEquals("ok changed", network.a().ask("announce " + vip));
            Thread.sleep(5_500);
            List<GratuitousCapture.Frame> frames = capture.frames();
            network.a().ask("withdraw " + vip);

            List<Double> burst = requests(frames, vip, AnnouncerNetwork.MAC_A, announced - 0.1).stream()
                    .filter(t -> t < announced + BURST_SECONDS).toList();
            assertTrue(burst.size() >= 4, "the takeover burst went out first: " + burst);
            List<Double> refreshes = requests(frames, vip, AnnouncerNetwork.MAC_A, announced + BURST_SECONDS);
            // 5.5 s after gaining the IP, minus the burst's 1.2 s: four refreshes, give or take one at the edges.
            assertTrue(refreshes.size() >= 3 && refreshes.size() <= 5, "refreshes at " + refreshes);
            for (double gap : gaps(refreshes)) {
                assertEquals(PERIOD_MS / 1000.0, gap, 0.25, "refreshes one period apart: gaps " + gaps(refreshes));
            }
            long replies = frames.stream().filter(f -> f.form() == GratuitousCapture.Form.ARP_REPLY && f.ip().equals(vip)
                    && f.at() > announced + BURST_SECONDS).count();
            assertTrue(replies >= refreshes.size() - 1, "each refresh sends both forms, the reply too: " + replies);
        }
    }

    @Test
    void anAnnouncedIpv6AddressGetsAnUnsolicitedNeighborAdvertisementOncePerInterval() throws Exception {
        String vip = "2001:db8:10::240";
        try (GratuitousCapture capture = GratuitousCapture.start(network.client, "pa")) {
            double announced = System.currentTimeMillis() / 1000.0;
            network.a().ask("announce " + vip);
            Thread.sleep(5_500);
            List<Double> refreshes = capture.frames().stream()
                    .filter(f -> f.form() == GratuitousCapture.Form.NEIGHBOR_ADVERTISEMENT && f.ip().equals(vip)
                            && f.mac().equals(AnnouncerNetwork.MAC_A) && f.at() >= announced + BURST_SECONDS)
                    .map(GratuitousCapture.Frame::at).sorted().toList();
            network.a().ask("withdraw " + vip);
            assertTrue(refreshes.size() >= 3 && refreshes.size() <= 5, "advertisements at " + refreshes);
            for (double gap : gaps(refreshes)) {
                assertEquals(PERIOD_MS / 1000.0, gap, 0.25, "one period apart: gaps " + gaps(refreshes));
            }
        }
    }

    @Test
    void anAdvertisementsOwnPeriodOverridesTheSpeakersForItsIp() throws Exception {
        String vip = "198.18.10.241";
        assertEquals("ok refresh 1", network.a().ask("refresh " + vip + "=2000"));
        try (GratuitousCapture capture = GratuitousCapture.start(network.client, "pa")) {
            double announced = System.currentTimeMillis() / 1000.0;
            network.a().ask("announce " + vip);
            Thread.sleep(7_500);
            List<Double> refreshes = requests(capture.frames(), vip, AnnouncerNetwork.MAC_A, announced + BURST_SECONDS);
            network.a().ask("withdraw " + vip);
            network.a().ask("refresh " + vip + "=" + PERIOD_MS);
            // 7.5 s minus the burst, every 2 s: three, give or take one.
            assertTrue(refreshes.size() >= 2 && refreshes.size() <= 4, "refreshes at " + refreshes);
            for (double gap : gaps(refreshes)) {
                assertEquals(2.0, gap, 0.25, "refreshes two seconds apart: gaps " + gaps(refreshes));
            }
        }
    }

    @Test
    void aThousandIpsAreRefreshedSpreadOverThePeriodNotInOneBurst() throws Exception {
        List<String> vips = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            vips.add("198.18." + (12 + i / 256) + "." + (i % 256));
        }
        try (GratuitousCapture capture = GratuitousCapture.start(network.client, "pb")) {
            double announced = System.currentTimeMillis() / 1000.0;
            assertEquals("ok changed 1000", network.b().ask("announce-all " + String.join(",", vips)));
            Thread.sleep(7_300);
            List<GratuitousCapture.Frame> frames = capture.frames();
            for (String vip : vips) {
                network.b().ask("withdraw " + vip);
            }
            // The takeover burst for 1,000 IPs is 10,000 frames and takes seconds to send on a busy
            // machine (2.7 s seen); refreshes are measured over two whole periods well after it:
            // every IP twice, spread over 20 buckets of 100 ms.
            double from = announced + 5.0;
            double to = from + 2 * PERIOD_MS / 1000.0;
            List<GratuitousCapture.Frame> window = frames.stream()
                    .filter(f -> f.request() && f.mac().equals(AnnouncerNetwork.MAC_B) && f.at() >= from && f.at() < to)
                    .toList();
            Map<String, Long> perIp = window.stream().collect(Collectors.groupingBy(GratuitousCapture.Frame::ip,
                    Collectors.counting()));
            assertTrue(perIp.size() >= 950, "nearly every IP refreshed in two periods: " + perIp.size() + " of 1000");
            List<String> often = perIp.entrySet().stream().filter(e -> e.getValue() > 3).map(Map.Entry::getKey).limit(3).toList();
            assertTrue(often.isEmpty(), () -> "no IP more than once a period, give or take the edges: " + often.stream()
                    .map(ip -> ip + " at " + requests(frames, ip, AnnouncerNetwork.MAC_B, announced).stream()
                            .map(t -> String.format(java.util.Locale.ROOT, "%.3f", t - announced)).toList())
                    .toList());
            Map<Integer, Integer> buckets = new TreeMap<>();
            for (GratuitousCapture.Frame f : window) {
                buckets.merge((int) ((f.at() - from) * 10), 1, Integer::sum);
            }
            int largest = buckets.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            // 2,000 refreshes over 20 buckets: 100 a bucket. One burst would put 1,000 in a bucket;
            // a tick delayed on a loaded machine may double a bucket, never more than a fifth of the IPs.
            assertTrue(buckets.size() >= 18, "refreshes in most 100 ms buckets of the window: " + buckets);
            assertTrue(largest <= 200, "at most 200 refreshes in any 100 ms, not one burst: " + buckets);
        }
    }
}
