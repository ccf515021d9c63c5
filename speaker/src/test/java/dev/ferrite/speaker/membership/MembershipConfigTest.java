package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipConfigTest {
    private static final InetSocketAddress ADDR = new InetSocketAddress("198.18.0.10", MembershipConfig.DEFAULT_PORT);

    @Test
    void defaultsAreUsableAndMeetTheTargets() {
        MembershipConfig c = MembershipConfig.defaults("node-a", ADDR, new MembershipSecret.Insecure());
        assertEquals(List.of(), c.problems());
        assertTrue(c.suspicionTimeout().plus(c.confirmTimeout()).plus(c.probeInterval())
                .compareTo(Duration.ofSeconds(1)) <= 0, "silent detection budget must stay within 1 s");
        assertTrue(c.suspicionTimeout().compareTo(Duration.ofMillis(200).plus(c.probeInterval())) > 0,
                "a 200 ms pause plus a lost heartbeat must not reach the suspicion timeout");
    }

    @Test
    void wildcardAdvertiseAddressIsRejectedWithTheFieldName() {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 7946);
        MembershipConfig c = new MembershipConfig("node-a", any, any, new MembershipSecret.Insecure(),
                Duration.ofMillis(100), Duration.ofMillis(600), Duration.ofMillis(200), 3, 3, Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("advertiseAddress"));
    }

    @Test
    void suspicionTimeoutShorterThanThreeProbesIsRejected() {
        MembershipConfig c = new MembershipConfig("node-a", ADDR, ADDR, new MembershipSecret.Insecure(),
                Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(200), 3, 3, Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        assertTrue(c.problems().get(0).contains("suspicionTimeout 250ms"));
    }
}
