package dev.ferrite.speaker;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.pcap.PcapAnnouncer;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.ownership.Announcer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Connects the ownership loop to the pcap announcer, the one that answers on the wire. */
public final class PcapAnnouncerAdapter implements Announcer {

    private final PcapAnnouncer pcap;

    public PcapAnnouncerAdapter(PcapAnnouncer pcap) {
        this.pcap = pcap;
    }

    @Override
    public Map<IpAddress, Set<String>> announce(Map<IpAddress, Set<String>> wanted) {
        try {
            pcap.announceAll(wanted);
        } catch (IOException e) {
            throw new UncheckedIOException("IPs " + wanted.keySet() + ": opening a capture handle failed: " + e.getMessage(), e);
        }
        Map<IpAddress, Set<String>> all = pcap.announcements();
        Map<IpAddress, Set<String>> on = new HashMap<>();
        for (IpAddress ip : wanted.keySet()) {
            on.put(ip, all.getOrDefault(ip, Set.of()));
        }
        return on;
    }

    @Override
    public void reassert(IpAddress ip) {
        pcap.reassert(ip);
    }

    @Override
    public void withdraw(IpAddress ip) {
        pcap.withdraw(ip);
    }

    @Override
    public AnnouncerCounts counts() {
        long solicitations = pcap.neighborSolicitationsSeen();
        return new AnnouncerCounts(pcap.requestsSeen() - solicitations, solicitations, pcap.repliesSent(),
                pcap.gratuitousSent(), pcap.malformed());
    }

    @Override
    public void close() {
        pcap.close();
    }
}
