package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.netns.CommandResult;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.process.LabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real speakers in a three-node lab serving one IPv6-only LoadBalancer Service, seen from
 * the client's kernel. The tests run in order on one lab: the first kills the elected
 * node's speaker and watches the VIP move (NDP and HTTP); the second starts that node's
 * speaker again, but with another membership secret, and checks that the correctly keyed
 * speakers neither count it nor give it back the VIP it would win if it were admitted.
 *
 * <p>What an operator sees from a speaker with the wrong secret: its own view holds only
 * itself ({@code ferrite_members 1}), and since it keeps receiving datagrams it cannot
 * authenticate it announces nothing and is not ready (its log and /readyz name the secret
 * file); the others' {@code ferrite_membership_auth_failures_total} grows while their
 * {@code ferrite_members} stays at the keyed count.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeakerEndToEndTest {
    static final Duration STEADY_WINDOW = Duration.ofMillis(500);
    static final Duration MOVE_BOUND = Duration.ofSeconds(20);
    static final Duration NEIGHBOUR_BOUND = Duration.ofSeconds(10);
    static final Duration METRICS_BOUND = Duration.ofSeconds(15);

    static LabSession lab;
    static IpAddress vip;
    static String firstOwner;
    static String secondOwner;
    /** Tests that got to their end: the run directory (speaker logs) is kept unless all did. */
    static int passed;

    @BeforeAll
    static void startLab() throws Exception {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        lab = LabSession.start(new LabSession.Options(3, "fxe2e-", Optional.empty()), s -> { });
        lab.keepRunDir();
        Map<String, String> ips = lab.deployServices(1, 0, Duration.ofSeconds(60), s -> { });
        vip = IpAddress.parse(ips.values().iterator().next()).orElseThrow();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            if (passed == 2) {
                lab.discardRunDirOnClose();
            }
            lab.close();
        }
    }

    @Test
    @Order(1)
    void anIpv6VipIsResolvedByNdpToTheElectedNodeAndMovesWhenItsSpeakerIsKilled() throws Exception {
        assertEquals(IpFamily.IPv6, vip.family(), "the Service asked for IPv6 only but got " + vip);
        firstOwner = steadyOwner("before the kill");
        Host owner = lab.node(firstOwner);
        assertEquals(Optional.of(owner.mac()), awaitClientMac(owner.mac()),
                "client's neighbour entry for " + vip + " is not the MAC of " + firstOwner + "'s eth0");

        LabProcess speaker = lab.speaker(firstOwner);
        assertTrue(speaker.kill(), "SIGKILL to " + speaker + " failed");
        assertTrue(speaker.waitFor(Duration.ofSeconds(5)).isPresent(), speaker + " still alive after SIGKILL");

        secondOwner = awaitOwnerOtherThan(firstOwner);
        Host next = lab.node(secondOwner);
        assertEquals(Optional.of(next.mac()), awaitClientMac(next.mac()),
                "after the kill the client's neighbour entry for " + vip + " is not the MAC of " + secondOwner);
        passed++;
    }

    @Test
    @Order(2)
    void aSpeakerWithAnotherSecretIsNeitherCountedNorElectedByTheKeyedSpeakers() throws Exception {
        Assumptions.assumeTrue(firstOwner != null && secondOwner != null, "needs the failover of the first test");
        Host outsider = lab.node(firstOwner);
        List<Host> keyed = lab.topology().nodes().stream().filter(n -> !n.name().equals(firstOwner)).toList();
        for (Host n : keyed) {
            assertEquals(OptionalDouble.of(keyed.size()), awaitMetric(n, "ferrite_members", v -> v == keyed.size()),
                    n.name() + " does not count the " + keyed.size() + " live keyed speakers");
        }
        List<Double> failuresBefore = new ArrayList<>();
        for (Host n : keyed) {
            failuresBefore.add(metric(n, "ferrite_membership_auth_failures_total").orElseThrow());
        }

        Path otherSecret = lab.runDir().resolve("other-membership-secret");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(otherSecret, HexFormat.of().formatHex(secret) + "\n");
        Files.setPosixFilePermissions(otherSecret, PosixFilePermissions.fromString("rw-------"));
        lab.startOutsiderSpeaker(outsider, otherSecret);

        for (int i = 0; i < keyed.size(); i++) {
            Host n = keyed.get(i);
            double before = failuresBefore.get(i);
            OptionalDouble after = awaitMetric(n, "ferrite_membership_auth_failures_total", v -> v > before);
            assertTrue(after.isPresent() && after.getAsDouble() > before,
                    n.name() + " dropped no unauthenticated membership message from " + outsider.name() + ": " + after);
        }
        assertEquals(OptionalDouble.of(1), awaitMetric(outsider, "ferrite_members", v -> v == 1),
                outsider.name() + " with another secret should see only itself");

        // several looks over a few seconds: a speaker admitted late would show up in one of them
        for (int look = 0; look < 5; look++) {
            for (Host n : keyed) {
                assertEquals(OptionalDouble.of(keyed.size()), metric(n, "ferrite_members"),
                        n.name() + " counts a speaker it should not have admitted (look " + look + ")");
                double announced = metric(n, "ferrite_speaker_announced_ips").orElseThrow();
                // admitted, the outsider would win the VIP back: it won it with the same three nodes live
                assertEquals(n.name().equals(secondOwner) ? 1.0 : 0.0, announced,
                        n.name() + ": the keyed speakers' election changed although the outsider was not admitted");
            }
            Thread.sleep(600);
        }
        // alone in its view while rejecting the others' datagrams, it announces nothing
        assertEquals(OptionalDouble.of(0), metric(outsider, "ferrite_speaker_announced_ips"),
                outsider.name() + " with the wrong secret must not announce the Service IP");
        passed++;
    }

    private static String steadyOwner(String when) throws InterruptedException {
        Optional<Map<String, String>> owners = lab.awaitSteady(STEADY_WINDOW, MOVE_BOUND);
        assertTrue(owners.isPresent(), "no single node answered " + vip + " over HTTP " + when + " within "
                + MOVE_BOUND.toSeconds() + " s; logs in " + lab.logDir());
        return owners.get().values().iterator().next();
    }

    /** Bounded: until the client steadily reaches the VIP through a node other than {@code previous}. */
    private static String awaitOwnerOtherThan(String previous) throws InterruptedException {
        long deadline = System.nanoTime() + MOVE_BOUND.toNanos();
        Optional<Map<String, String>> owners = Optional.empty();
        for (int i = 0; i < 1_000 && System.nanoTime() < deadline; i++) {
            owners = lab.awaitSteady(STEADY_WINDOW, Duration.ofSeconds(2));
            if (owners.isPresent() && !owners.get().values().contains(previous)) {
                return owners.get().values().iterator().next();
            }
            // the old owner's backend still answers until the client's neighbour entry moves
            Thread.sleep(100);
        }
        assertNotEquals(Optional.empty(), owners, "nobody answered " + vip + " within " + MOVE_BOUND.toSeconds() + " s");
        throw new AssertionError(vip + " still answered by " + owners.get() + " " + MOVE_BOUND.toSeconds()
                + " s after " + previous + "'s speaker was killed");
    }

    /**
     * The client's neighbour entry for the VIP, polled until it holds {@code expected} or the
     * bound passes; each round makes the client ask again (flush, one ping), so the entry
     * is the answer of whoever answers Neighbor Solicitations now.
     */
    private static Optional<String> awaitClientMac(String expected) throws InterruptedException {
        Host client = lab.topology().client();
        long deadline = System.nanoTime() + NEIGHBOUR_BOUND.toNanos();
        Optional<String> mac = Optional.empty();
        for (int i = 0; i < 100 && System.nanoTime() < deadline; i++) {
            lab.network().forgetNeighbour(client, vip);
            lab.network().ping(client, vip);
            mac = lab.network().neighbours(client).macOf(vip);
            if (mac.isPresent() && mac.get().equalsIgnoreCase(expected)) {
                return Optional.of(expected);
            }
            Thread.sleep(200);
        }
        return mac;
    }

    private static OptionalDouble awaitMetric(Host node, String name, java.util.function.DoublePredicate wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + METRICS_BOUND.toNanos();
        OptionalDouble value = OptionalDouble.empty();
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            value = metric(node, name);
            if (value.isPresent() && wanted.test(value.getAsDouble())) {
                return value;
            }
            Thread.sleep(250);
        }
        return value;
    }

    /** One sample of the speaker's {@code /metrics}, read inside the node's namespace. */
    static OptionalDouble metric(Host node, String name) {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + LabSession.SPEAKER_METRICS_PORT
                + " && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3";
        CommandResult r = lab.network().exec(node, List.of("bash", "-c", script));
        if (!r.succeeded()) {
            return OptionalDouble.empty();
        }
        return sample(r.stdout(), name);
    }

    static OptionalDouble sample(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2 && parts[0].equals(name)) {
                return OptionalDouble.of(Double.parseDouble(parts[1]));
            }
        }
        return OptionalDouble.empty();
    }
}
