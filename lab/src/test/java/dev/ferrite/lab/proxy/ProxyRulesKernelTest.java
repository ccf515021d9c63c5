package dev.ferrite.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.netns.CommandResult;
import dev.ferrite.lab.netns.IpCommand;
import dev.ferrite.lab.netns.LabPreflight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's scripts as nft takes them, in a network namespace of the test's own: the
 * whole table, then partial syncs that change, remove and add Services, each checked against
 * what the kernel then holds.
 */
@Tag("netns")
class ProxyRulesKernelTest {
    private final IpCommand ip = new IpCommand(LabPreflight.findIp());
    private final String ns = "fxproxy-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private Optional<Map<String, List<ProxyService>>> written = Optional.empty();

    @BeforeEach
    void namespace() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates a network namespace and writes nft rules in it");
        ip.addNamespace(ns);
    }

    @AfterEach
    void removeNamespace() {
        if (ip.namespaceExists(ns)) {
            ip.deleteNamespace(ns);
        }
    }

    @Test
    void partialSyncsLeaveTheKernelWithExactlyTheWantedRules() throws IOException {
        ProxyService web = ProxyRulesTest.service("web", "198.18.0.200", false, List.of(ProxyRulesTest.ON_NODE1, ProxyRulesTest.ON_NODE2));
        ProxyService local = ProxyRulesTest.service("local", "198.18.0.201", true, List.of(ProxyRulesTest.ON_NODE1));
        apply(List.of(web, local));
        String table = table();
        assertTrue(table.contains("198.18.0.200 . tcp . 80 : goto external-default-web-tcp-http"), table);
        assertTrue(table.contains("dnat to 198.19.2.11:80"), table);

        // node2's pod leaves web's slice; local is untouched
        apply(List.of(ProxyRulesTest.service("web", "198.18.0.200", false, List.of(ProxyRulesTest.ON_NODE1)), local));
        table = table();
        assertFalse(table.contains("198.19.2.11"), "the endpoint that left is gone: " + table);
        assertTrue(table.contains("chain endpoint-default-local-tcp-http-198-19-1-11-80"), table);

        // local goes, web moves to another address, a new Service comes
        apply(List.of(ProxyRulesTest.service("web", "198.18.0.210", false, List.of(ProxyRulesTest.ON_NODE1)),
                ProxyRulesTest.service("new", "198.18.0.202", false, List.of(ProxyRulesTest.ON_NODE2))));
        table = table();
        assertFalse(table.contains("default-local"), "every chain of the Service that went is deleted: " + table);
        assertFalse(table.contains("198.18.0.200 "), table);
        assertTrue(table.contains("198.18.0.210 . tcp . 80 : goto external-default-web-tcp-http"), table);
        assertTrue(table.contains("198.18.0.202 . tcp . 80 : goto external-default-new-tcp-http"), table);

        // and the same view once more writes nothing
        assertEquals("", ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4,
                List.of(ProxyRulesTest.service("web", "198.18.0.210", false, List.of(ProxyRulesTest.ON_NODE1)),
                        ProxyRulesTest.service("new", "198.18.0.202", false, List.of(ProxyRulesTest.ON_NODE2))), written).text());
    }

    private void apply(List<ProxyService> view) throws IOException {
        ProxyRules.Script s = ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4, view, written);
        Path file = Files.createTempFile("ferrite-proxy-", ".nft");
        try {
            Files.writeString(file, s.text());
            CommandResult r = ip.exec(ns, List.of("nft", "-f", file.toString()));
            assertTrue(r.succeeded(), "nft took the script: " + r.describe() + "\n" + s.text());
        } finally {
            Files.deleteIfExists(file);
        }
        written = Optional.of(s.written());
    }

    private String table() {
        CommandResult r = ip.exec(ns, List.of("nft", "list", "table", "ip", ProxyRules.TABLE));
        assertTrue(r.succeeded(), r.describe());
        return r.stdout();
    }
}
