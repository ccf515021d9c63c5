package dev.ferrite.speaker;

import dev.ferrite.speaker.handoff.HandoffSettings;
import dev.ferrite.speaker.membership.MembershipConfig;
import dev.ferrite.speaker.membership.MembershipSecret;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a speaker is started with; the command line maps one to one onto it.
 *
 * @param node                 this node's name (as in the Node object and the membership)
 * @param namespace            where IPAddressPools, L2Advertisements and ServiceL2Status live
 * @param membershipBind       address and UDP/TCP port the membership listens on
 * @param membershipAdvertise  address peers reach this member at; empty: the bind address when it
 *                             is concrete, else the Node's InternalIP
 * @param membershipPeers      fixed seeds; empty means: InternalIP of every Node at the bind port
 * @param membershipSecretFile file holding the shared membership secret
 * @param insecureMembership   run the membership without authentication (labs only)
 * @param probeInterval        membership failure-detection probe interval
 * @param suspicionTimeout     how long a silent member is suspected before it is declared dead
 * @param interfaces           announce only on these interfaces (overrides advertisements); empty: no override
 * @param interfaceExcludes    glob patterns of interfaces never announced on
 * @param garpRefresh          period of gratuitous re-announcements; empty: off
 * @param metricsPort          port of /metrics, /healthz, /readyz; 0 picks a free port
 * @param handoverTimeout      longest wait on shutdown for successors to announce before withdrawing
 * @param coalesce             recomputes of ownership happen at most once per this interval
 * @param handoff              flow handoff after moves (on by default on the command line, off in
 *                             {@link #defaults}, which tests run in the host's namespace)
 * @param lbClass              the {@code spec.loadBalancerClass} announced; empty announces class-less Services
 */
public record SpeakerOptions(
        String node,
        String namespace,
        InetSocketAddress membershipBind,
        Optional<String> membershipAdvertise,
        List<InetSocketAddress> membershipPeers,
        Optional<Path> membershipSecretFile,
        boolean insecureMembership,
        Duration probeInterval,
        Duration suspicionTimeout,
        List<String> interfaces,
        List<String> interfaceExcludes,
        Optional<Duration> garpRefresh,
        int metricsPort,
        Duration handoverTimeout,
        Duration coalesce,
        HandoffSettings handoff,
        Optional<String> lbClass) {

    public static final String DEFAULT_NAMESPACE = "ferrite-system";
    public static final int DEFAULT_MEMBERSHIP_PORT = MembershipConfig.DEFAULT_PORT;
    public static final int DEFAULT_METRICS_PORT = 7473;
    public static final Duration DEFAULT_HANDOVER_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_COALESCE = Duration.ofMillis(10);
    /** Membership timing defaults, the ones the membership's targets were measured with. */
    public static final MembershipConfig MEMBERSHIP_DEFAULTS = MembershipConfig.defaults("defaults",
            new InetSocketAddress("127.0.0.1", MembershipConfig.DEFAULT_PORT), new MembershipSecret.Insecure());

    public SpeakerOptions {
        membershipPeers = List.copyOf(membershipPeers);
        interfaces = List.copyOf(interfaces);
        interfaceExcludes = List.copyOf(interfaceExcludes);
    }

    /** Defaults for everything but the node name; the membership runs without a secret. */
    public static SpeakerOptions defaults(String node) {
        return new SpeakerOptions(node, DEFAULT_NAMESPACE, new InetSocketAddress("0.0.0.0", DEFAULT_MEMBERSHIP_PORT),
                Optional.empty(), List.of(), Optional.empty(), true, MEMBERSHIP_DEFAULTS.probeInterval(),
                MEMBERSHIP_DEFAULTS.suspicionTimeout(), List.of(), List.of(),
                Optional.empty(), DEFAULT_METRICS_PORT, DEFAULT_HANDOVER_TIMEOUT, DEFAULT_COALESCE, HandoffSettings.off(),
                Optional.empty());
    }

    public SpeakerOptions withNamespace(String ns) {
        return new SpeakerOptions(node, ns, membershipBind, membershipAdvertise, membershipPeers, membershipSecretFile, insecureMembership,
                probeInterval, suspicionTimeout, interfaces, interfaceExcludes, garpRefresh, metricsPort,
                handoverTimeout, coalesce, handoff, lbClass);
    }

    public SpeakerOptions withMetricsPort(int port) {
        return new SpeakerOptions(node, namespace, membershipBind, membershipAdvertise, membershipPeers, membershipSecretFile,
                insecureMembership, probeInterval, suspicionTimeout, interfaces, interfaceExcludes, garpRefresh, port,
                handoverTimeout, coalesce, handoff, lbClass);
    }

    public SpeakerOptions withHandoff(HandoffSettings settings) {
        return new SpeakerOptions(node, namespace, membershipBind, membershipAdvertise, membershipPeers, membershipSecretFile,
                insecureMembership, probeInterval, suspicionTimeout, interfaces, interfaceExcludes, garpRefresh,
                metricsPort, handoverTimeout, coalesce, settings, lbClass);
    }

    public SpeakerOptions withHandoverTimeout(Duration timeout) {
        return new SpeakerOptions(node, namespace, membershipBind, membershipAdvertise, membershipPeers, membershipSecretFile,
                insecureMembership, probeInterval, suspicionTimeout, interfaces, interfaceExcludes, garpRefresh,
                metricsPort, timeout, coalesce, handoff, lbClass);
    }
}
