package dev.ferrite.lab.option;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.lab.drill.TrafficPolicy;
import dev.ferrite.lab.proxy.ProxyMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionNameTest {

    @Test
    void spellsAConstantInLowerCase() {
        assertEquals("nftables", OptionName.of(ProxyMode.NFTABLES));
        assertEquals("mix", OptionName.of(TrafficPolicy.MIX));
    }

    @Test
    void readsBackEverySpellingItWrites() {
        for (ProxyMode mode : ProxyMode.values()) {
            assertEquals(Optional.of(mode), OptionName.parse(ProxyMode.class, mode.cliName()));
        }
        for (TrafficPolicy policy : TrafficPolicy.values()) {
            assertEquals(Optional.of(policy), OptionName.parse(TrafficPolicy.class, policy.cliName()));
        }
    }

    @Test
    void ignoresSurroundingBlanksButNotCase() {
        assertEquals(Optional.of(ProxyMode.IPVS), OptionName.parse(ProxyMode.class, " ipvs "));
        assertEquals(Optional.empty(), OptionName.parse(ProxyMode.class, "IPVS"));
        assertEquals(Optional.empty(), OptionName.parse(TrafficPolicy.class, "iptables"));
    }
}
