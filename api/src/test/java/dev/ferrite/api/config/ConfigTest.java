package dev.ferrite.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    private static Pool pool(String name, IpRange... ranges) {
        return new Pool(name, Map.of(), List.of(ranges), true, false, Optional.empty());
    }

    @Test
    void anAddressNamesThePoolHoldingIt() {
        Config config = Config.of(Map.of(
                "lab", pool("lab", IpRange.ofPrefix(ip("198.18.0.0"), 24), IpRange.ofPrefix(ip("2001:db8::"), 120)),
                "other", pool("other", new IpRange(ip("198.18.1.10"), ip("198.18.1.20")))), List.of());
        record Case(String address, Optional<String> pool) {
        }
        for (Case c : List.of(
                new Case("198.18.0.0", Optional.of("lab")),
                new Case("198.18.0.255", Optional.of("lab")),
                new Case("2001:db8::7", Optional.of("lab")),
                new Case("198.18.1.10", Optional.of("other")),
                new Case("198.18.1.20", Optional.of("other")),
                new Case("198.18.1.21", Optional.empty()),
                new Case("2001:db8::1:0", Optional.empty()))) {
            assertEquals(c.pool(), config.poolOf(ip(c.address())), c.address());
        }
    }

    @Test
    void noPoolsHoldNoAddress() {
        assertEquals(Optional.empty(), Config.EMPTY.poolOf(ip("198.18.0.1")));
    }
}
