package dev.ferrite.speaker;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.PcapAnnouncer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** Connects the ownership loop to the pcap announcer, the one that answers on the wire. */
public final class PcapAnnouncerAdapter implements Announcer {

    private final PcapAnnouncer pcap;

    public PcapAnnouncerAdapter(PcapAnnouncer pcap) {
        this.pcap = pcap;
    }

    @Override
    public Set<String> announce(IpAddress ip, Set<String> advertised) {
        try {
            pcap.announce(ip, advertised);
        } catch (IOException e) {
            throw new UncheckedIOException("IP " + ip + ": opening a capture handle failed: " + e.getMessage(), e);
        }
        return pcap.announcements().getOrDefault(ip, Set.of());
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
