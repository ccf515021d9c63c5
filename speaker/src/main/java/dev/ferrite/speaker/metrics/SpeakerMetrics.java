package dev.ferrite.speaker.metrics;

import dev.ferrite.api.http.HealthServer;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.speaker.handoff.FlowHandoff;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.model.MemberCounts;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The speaker's metrics. Every value is read at scrape time from the component that owns it
 * (announcer counters, membership figures, the ownership loop), so nothing is counted twice
 * and a scrape never takes a lock on the announcing path.
 */
public final class SpeakerMetrics implements HealthServer.Metrics {

    private static final java.util.List<String> QUORUM_STATES = java.util.List.of("starting", "full_view", "majority",
            "tiebreak", "minority", "even_split", "fenced");
    private final PrometheusRegistry registry = new PrometheusRegistry();

    public SpeakerMetrics(IntSupplier announcedIps, Supplier<AnnouncerCounts> announcer, Supplier<MemberCounts> members,
            BooleanSupplier configValid, Supplier<String> quorumState) {
        GaugeWithCallback.builder()
                .name("ferrite_speaker_announced_ips")
                .help("Service IPs this node currently announces")
                .callback(cb -> cb.call(announcedIps.getAsInt()))
                .register(registry);
        counter("ferrite_arp_requests_total", "ARP requests received on announcing interfaces", announcer, AnnouncerCounts::arpRequests);
        counter("ferrite_ndp_requests_total", "Neighbor Solicitations received on announcing interfaces", announcer, AnnouncerCounts::ndpRequests);
        counter("ferrite_replies_sent_total", "ARP replies and Neighbor Advertisements sent in answer to requests", announcer, AnnouncerCounts::repliesSent);
        counter("ferrite_gratuitous_sent_total", "Gratuitous ARP and unsolicited Neighbor Advertisements sent", announcer, AnnouncerCounts::gratuitousSent);
        CounterWithCallback.builder()
                .name("ferrite_announcement_conflicts_total")
                .help("Frames (ARP reply or request, gratuitous ARP, Neighbor Advertisement) in which a MAC that is neither"
                        + " this node's nor another member's claimed an IP this node announces, per IP")
                .labelNames("ip")
                .callback(cb -> announcer.get().foreignClaims().forEach((ip, n) -> cb.call(n, ip)))
                .register(registry);
        counter("ferrite_malformed_frames_total", "Frames dropped because they could not be decoded", announcer, AnnouncerCounts::malformedFrames);
        GaugeWithCallback.builder()
                .name("ferrite_members")
                .help("Live speakers in this node's membership view")
                .callback(cb -> cb.call(members.get().members()))
                .register(registry);
        counter("ferrite_member_suspicions_total", "Times a member was suspected of having failed", members, MemberCounts::suspicions);
        GaugeWithCallback.builder()
                .name("ferrite_speaker_config_valid")
                .help("1 when the latest IPAddressPool/L2Advertisement configuration is valid; 0 while the last valid one is kept in force")
                .callback(cb -> cb.call(configValid.getAsBoolean() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("ferrite_speaker_quorum")
                .help("1 for the quorum state this node is in (full_view, majority, tiebreak: announcing;"
                        + " minority, even_split, fenced: announcing nothing; starting)")
                .labelNames("state")
                .callback(cb -> {
                    String now = quorumState.get();
                    for (String s : QUORUM_STATES) {
                        cb.call(s.equals(now) ? 1 : 0, s);
                    }
                })
                .register(registry);
        counter("ferrite_membership_auth_failures_total", "Membership messages dropped as unauthenticated or replayed", members, MemberCounts::authFailures);
    }

    /** Flow handoff: windows open, flows and packets handed off, and whether it works at all. */
    public void handoff(FlowHandoff handoff) {
        GaugeWithCallback.builder()
                .name("ferrite_handoff_enabled")
                .help("1 when flow handoff works on this node; 0 when it is off (turned off, or no CAP_NET_ADMIN, nft or ip: see the log and /readyz)")
                .callback(cb -> cb.call(handoff.on() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("ferrite_handoff_family_enabled")
                .help("1 when Service IPs of the family are handed off on this node; 0 when handoff is off, or that"
                        + " family is (an IPv6 Service IP needs net.ipv6.conf.all.forwarding=1: see the log and /readyz)")
                .labelNames("family")
                .callback(cb -> {
                    for (IpFamily f : IpFamily.values()) {
                        cb.call(handoff.on() && !handoff.familiesOff().containsKey(f) ? 1 : 0, f.name());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("ferrite_handoffs_active")
                .help("Service IPs this node took over whose previous owner still receives the flows it served")
                .callback(cb -> cb.call(handoff.windows().size()))
                .register(registry);
        counter("ferrite_handoffs_total", "Handoff windows opened since start", () -> handoff, FlowHandoff::windowsOpened);
        counter("ferrite_handoff_flows_total", "Connections handed to a previous owner since start", () -> handoff,
                h -> h.counts().flows());
        counter("ferrite_handoff_packets_total", "Packets routed to a previous owner since start", () -> handoff,
                h -> h.counts().packets());
    }

    /** IPs found in use by a host outside the cluster by the probe before announcing: 1 per IP while not announced. */
    public void addressesInUse(Supplier<java.util.Set<dev.ferrite.api.net.IpAddress>> inUse) {
        GaugeWithCallback.builder()
                .name("ferrite_address_in_use")
                .help("1 for each Service IP a host outside the cluster answered the probe for before this node"
                        + " announced it; the node does not announce it and probes it again every 10 s")
                .labelNames("ip")
                .callback(cb -> inUse.get().forEach(ip -> cb.call(1, ip.toString())))
                .register(registry);
    }

    private <T> void counter(String name, String help, Supplier<T> source, ToLongFunction<T> field) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(field.applyAsLong(source.get())))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
