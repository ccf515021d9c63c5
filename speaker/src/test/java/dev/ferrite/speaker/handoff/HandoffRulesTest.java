package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffRulesTest {

    private final HandoffRules rules = new HandoffRules(HandoffSettings.defaults());
    private final HandoffWindow w = new HandoffWindow(ip("198.18.0.200"), "a", ip("198.18.0.11"), Instant.EPOCH,
            Instant.EPOCH.plusSeconds(300));

    @Test
    void tableMarksOnlyMidFlowTcpWithoutStateForHandedOffIps() {
        String t = rules.table("ferrite speaker node=b");
        assertTrue(t.contains("ip daddr @handed_off ct state new ct mark & 0x00f10000 != 0x00f10000 tcp flags & (syn|ack) != syn"), t);
        assertTrue(t.contains("ip6 daddr @handed_off6 ct state new ct mark & 0x00f10000 != 0x00f10000 tcp flags & (syn|ack) != syn"), t);
        assertTrue(t.contains("dnat ip6 to ip6 daddr"), t);
        assertTrue(t.contains("type filter hook prerouting priority mangle"), t);
        assertTrue(t.contains("type nat hook prerouting priority dstnat - 10"), t);
        assertTrue(t.contains("dnat ip to ip daddr"), "identity binding keeps kube-proxy's DNAT off: " + t);
        assertTrue(t.contains("icmp type redirect ct mark & 0x00f10000 == 0x00f10000 drop"), t);
        assertTrue(t.contains("comment \"ferrite speaker node=b\""), t);
        assertTrue(t.startsWith("table inet ferrite_handoff\ndelete table inet ferrite_handoff\n"),
                "replaces a predecessor's table in the same transaction");
    }

    @Test
    void adoptedFlowsGetShortConntrackTimeoutsWhenTheirEntryIsCreated() {
        String e = rules.expiry();
        assertTrue(e.contains("type filter hook prerouting priority mangle + 1"), e);
        assertTrue(e.contains("ip daddr @handed_off ct state new tcp flags & (syn|ack) != syn ct timeout set \"adopted4\""), e);
        assertTrue(e.contains("ip6 daddr @handed_off6 ct state new tcp flags & (syn|ack) != syn ct timeout set \"adopted6\""), e);
        assertTrue(e.contains("l3proto ip;") && e.contains("l3proto ip6;"), e);
        assertTrue(e.contains("established: 10,") && e.contains("unack: 10 }"), e);
        assertFalse(e.contains("delete table"), "added to the table, never replacing it: " + e);
    }

    @Test
    void chainNamesAreNoNftKeywords() {
        String t = rules.table("x");
        assertFalse(t.contains("chain mark "));
        assertFalse(t.contains("chain keep "));
    }

    @Test
    void ownerTagCannotBreakTheScript() {
        assertTrue(rules.table("node \"b\"").contains("comment \"node 'b'\""));
    }

    @Test
    void setHoldsExactlyTheHandedOffIps() {
        assertEquals("flush set inet ferrite_handoff handed_off\nflush set inet ferrite_handoff handed_off6\n",
                rules.handedOff(List.of()));
        HandoffWindow w2 = new HandoffWindow(ip("198.18.0.201"), "c", ip("198.18.0.13"), Instant.EPOCH, Instant.EPOCH);
        HandoffWindow w6 = new HandoffWindow(ip("2001:db8::200"), "c", ip("2001:db8::13"), Instant.EPOCH, Instant.EPOCH);
        assertEquals("flush set inet ferrite_handoff handed_off\n"
                + "add element inet ferrite_handoff handed_off { 198.18.0.200, 198.18.0.201 }\n"
                + "flush set inet ferrite_handoff handed_off6\n"
                + "add element inet ferrite_handoff handed_off6 { 2001:db8::200 }\n", rules.handedOff(List.of(w, w6, w2)));
    }

    @Test
    void routeGoesToThePreviousOwnersNodeInTheHandoffTable() {
        assertEquals(List.of("-4", "route", "replace", "198.18.0.200/32", "via", "198.18.0.11", "table", "7473"), rules.routeAdd(w));
        assertEquals(List.of("-4", "route", "del", "198.18.0.200/32", "table", "7473"), rules.routeDelete(w.ip()));
        assertEquals(List.of("-4", "rule", "add", "pref", "90", "fwmark", "0x00f10000/0x00f10000", "lookup", "7473"),
                rules.ruleAdd(IpFamily.IPv4));
        HandoffWindow w6 = new HandoffWindow(ip("2001:db8::200"), "a", ip("2001:db8::11"), Instant.EPOCH, Instant.EPOCH);
        assertEquals(List.of("-6", "route", "replace", "2001:db8::200/128", "via", "2001:db8::11", "table", "7473"),
                rules.routeAdd(w6));
        assertEquals(List.of("-6", "route", "del", "2001:db8::200/128", "table", "7473"), rules.routeDelete(w6.ip()));
        assertEquals(List.of("-6", "rule", "add", "pref", "90", "fwmark", "0x00f10000/0x00f10000", "lookup", "7473"),
                rules.ruleAdd(IpFamily.IPv6));
    }

    @Test
    void localTableMovesBehindTheHandoffRuleAddingBeforeDeleting() {
        assertEquals(List.of(List.of("-4", "rule", "add", "pref", "91", "lookup", "local"),
                List.of("-4", "rule", "del", "pref", "0", "lookup", "local")), rules.localTableBehind(IpFamily.IPv4));
        assertEquals(List.of(List.of("-6", "rule", "add", "pref", "91", "lookup", "local"),
                List.of("-6", "rule", "del", "pref", "0", "lookup", "local")), rules.localTableBehind(IpFamily.IPv6));
    }

    @Test
    void settingsNameTheFlagAndValueThatIsWrong() {
        assertEquals(List.of(), HandoffSettings.defaults().problems());
        HandoffSettings bad = new HandoffSettings(true, Duration.ZERO, 0x4000, 254, 0);
        List<String> p = bad.problems();
        assertEquals(4, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("--handoff-window"));
        assertTrue(p.get(1).contains("overlaps kube-proxy"));
        assertTrue(p.get(2).startsWith("--handoff-route-table 254"));
        assertTrue(p.get(3).startsWith("--handoff-rule-preference 0"));
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
