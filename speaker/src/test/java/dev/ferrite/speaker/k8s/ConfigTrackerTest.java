package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTrackerTest {

    private static IPAddressPool pool(String name, String addresses) {
        IPAddressPool p = new IPAddressPool();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ferrite-system").build());
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(List.of(addresses));
        p.setSpec(spec);
        return p;
    }

    private static L2Advertisement ad(String name, String... pools) {
        L2Advertisement a = new L2Advertisement();
        a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ferrite-system").build());
        L2AdvertisementSpec spec = new L2AdvertisementSpec();
        spec.setIpAddressPools(List.of(pools));
        a.setSpec(spec);
        return a;
    }

    @Test
    void aValidConfigurationIsPutInForce() {
        ConfigTracker t = new ConfigTracker(ConfigParser::parse);
        assertTrue(t.update(List.of(pool("lab", "198.18.0.200/29")), List.of(ad("all", "lab"))));
        assertEquals(1, t.current().advertisements().size());
        assertTrue(t.errors().isEmpty());
    }

    @Test
    void anInvalidConfigurationKeepsTheLastValidOneAndReportsTheObject() {
        ConfigTracker t = new ConfigTracker(ConfigParser::parse);
        t.update(List.of(pool("lab", "198.18.0.200/29")), List.of(ad("all", "lab")));
        var good = t.current();
        assertFalse(t.update(List.of(pool("lab", "198.18.0.300/29")), List.of(ad("all", "lab"))));
        assertEquals(good, t.current());
        assertFalse(t.errors().isEmpty());
        assertTrue(t.errors().get(0).message().contains("lab"), t.errors().toString());
    }

    @Test
    void anUnchangedConfigurationIsNotAChange() {
        ConfigTracker t = new ConfigTracker(ConfigParser::parse);
        t.update(List.of(pool("lab", "198.18.0.200/29")), List.of(ad("all", "lab")));
        assertFalse(t.update(List.of(pool("lab", "198.18.0.200/29")), List.of(ad("all", "lab"))));
    }
}
