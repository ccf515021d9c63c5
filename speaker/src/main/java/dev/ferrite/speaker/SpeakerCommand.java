package dev.ferrite.speaker;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.speaker.arp.GarpSchedule;
import dev.ferrite.speaker.arp.InterfaceSelection;
import dev.ferrite.speaker.arp.pcap.PcapAnnouncer;
import dev.ferrite.speaker.handoff.FlowHandoff;
import dev.ferrite.speaker.handoff.HandoffSettings;
import dev.ferrite.speaker.k8s.ApiAccess;
import dev.ferrite.speaker.k8s.KubeApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferrite speaker}: runs on every node (a DaemonSet), answers ARP/NDP for the Service
 * IPs this node wins, and hands them over on SIGTERM. Needs CAP_NET_RAW and host networking.
 */
@Command(name = "speaker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Announce LoadBalancer Service IPs from this node over ARP (IPv4) and NDP (IPv6).",
            "Every speaker elects, per Service IP, one owner among the live speakers on eligible nodes; "
                    + "the owner answers for the IP.",
            "On SIGTERM it leaves the membership, waits until the successor announces, then stops answering."})
public final class SpeakerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SpeakerCommand.class);

    /** Exit code for options that cannot work; the message names the flag. */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the node cannot run a speaker (capture, sockets, API). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "Name of this node, as in its Node object (default: env NODE_NAME). Required.")
    String node;

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:KUBECONFIG}",
            description = "Kubeconfig file (default: env KUBECONFIG, else the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = SpeakerOptions.DEFAULT_NAMESPACE,
            description = "Namespace of IPAddressPools, L2Advertisements and ServiceL2Status objects (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--membership-secret-file", paramLabel = "FILE",
            description = "File with the shared membership secret (mount the memberlist Secret). Required unless --insecure-membership.")
    Path secretFile;

    @Option(names = "--insecure-membership",
            description = "Run the membership without a secret: anybody on the network can forge members. Labs only.")
    boolean insecure;

    @Option(names = "--membership-bind", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:" + SpeakerOptions.DEFAULT_MEMBERSHIP_PORT,
            converter = CommandLineValues.SocketAddressValue.class,
            description = "UDP address the membership listens on (default: ${DEFAULT-VALUE}).")
    InetSocketAddress bind;

    @Option(names = "--membership-advertise", paramLabel = "IP",
            description = "Address peers reach this node at (default: the bind address, or the Node's InternalIP when binding a wildcard).")
    String advertise;

    @Option(names = "--membership-peers", paramLabel = "HOST:PORT", split = ",",
            converter = CommandLineValues.SocketAddressValue.class,
            description = "Fixed membership seeds, comma separated. Default: the InternalIP of every Node at the membership port.")
    List<InetSocketAddress> peers = new ArrayList<>();

    // The defaults are MembershipConfig's (SpeakerCommandTest checks they agree), written out
    // so the help shows "200ms" rather than "PT0.2S".
    @Option(names = "--membership-probe-interval", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "200ms",
            description = "How often members heartbeat and probe each other (default: ${DEFAULT-VALUE}).")
    Duration probeInterval;

    @Option(names = "--membership-suspicion-timeout", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "600ms",
            description = "Silence after which a member is suspected of having failed (default: ${DEFAULT-VALUE}).")
    Duration suspicionTimeout;

    @Option(names = "--interfaces", paramLabel = "NAME", split = ",",
            description = "Announce on these interfaces when an L2Advertisement names none (default: every suitable interface).")
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--interface-exclude", paramLabel = "REGEX", split = ",",
            description = "Interfaces never chosen automatically, as full-match regular expressions (default: ${DEFAULT-VALUE}).")
    List<String> interfaceExcludes = new ArrayList<>(InterfaceSelection.DEFAULT_EXCLUDES);

    @Option(names = "--garp-refresh", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            description = "Re-send gratuitous ARP/NA for owned IPs this often (at least 1s, spread over the period), "
                    + "for switches that age out MAC tables; an L2Advertisement's garpRefresh overrides it (default: off).")
    Duration garpRefresh;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + SpeakerOptions.DEFAULT_METRICS_PORT,
            description = "Port of /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--handover-timeout", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "3s",
            description = "On SIGTERM, longest wait for successors to announce before withdrawing (default: ${DEFAULT-VALUE}).")
    Duration handoverTimeout;

    @Option(names = "--no-flow-handoff",
            description = "Turn flow handoff off: moved connections are then reset. Handoff (on by default) keeps "
                    + "established TCP connections of the previous owner by routing their packets to its node; "
                    + "it needs CAP_NET_ADMIN, nft and ip.")
    boolean noFlowHandoff;

    @Option(names = "--handoff-window", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "5m",
            description = "How long after a move flows of the previous owner are still routed to it (default: ${DEFAULT-VALUE}).")
    Duration handoffWindow;

    @Option(names = "--handoff-mark", paramLabel = "BITS", defaultValue = "0x00f10000",
            description = "Packet/conntrack mark bits of handed-off flows; must not overlap kube-proxy's or the CNI's "
                    + "(default: ${DEFAULT-VALUE}).")
    String handoffMark;

    @Option(names = "--handoff-route-table", paramLabel = "ID", defaultValue = "" + HandoffSettings.DEFAULT_ROUTE_TABLE,
            description = "Routing table of the routes to previous owners (default: ${DEFAULT-VALUE}).")
    int handoffRouteTable;

    @Option(names = "--lb-class", paramLabel = "CLASS",
            description = "Announce only Services with this spec.loadBalancerClass, as given to 'ferrite controller --lb-class'. "
                    + "Default: only Services without a class.")
    String lbClass;

    /** The options these flags describe; user errors as IllegalArgumentException naming the flag. */
    SpeakerOptions options() {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("--node is required (or set NODE_NAME, e.g. from the downward API spec.nodeName)");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port " + metricsPort + " must be 0 to 65535");
        }
        if (garpRefresh != null && garpRefresh.compareTo(ConfigParser.MIN_GARP_REFRESH) < 0) {
            throw new IllegalArgumentException("--garp-refresh " + garpRefresh.toMillis() + "ms is below 1s: Linux ignores "
                    + "a second update of a neighbour entry within locktime (1s); leave it out to turn refresh off");
        }
        long mark;
        try {
            mark = Long.decode(handoffMark);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--handoff-mark " + handoffMark + " is not a number (e.g. 0x00f10000)");
        }
        HandoffSettings handoff = new HandoffSettings(!noFlowHandoff, handoffWindow, mark, handoffRouteTable,
                HandoffSettings.DEFAULT_RULE_PREFERENCE);
        if (!handoff.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", handoff.problems()));
        }
        return new SpeakerOptions(node, namespace, bind, Optional.ofNullable(advertise), peers,
                Optional.ofNullable(secretFile), insecure, probeInterval, suspicionTimeout, interfaces, interfaceExcludes,
                Optional.ofNullable(garpRefresh), metricsPort, handoverTimeout, SpeakerOptions.DEFAULT_COALESCE, handoff,
                Optional.ofNullable(lbClass).filter(c -> !c.isBlank()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SpeakerOptions options;
        try {
            options = options();
            // Checked before touching the API or the network, so a missing secret fails fast.
            Speaker.membershipSecret(options);
        } catch (IllegalArgumentException e) {
            err.println("speaker: " + e.getMessage());
            return EXIT_USAGE;
        }
        GarpSchedule schedule = options.garpRefresh().map(GarpSchedule.DEFAULT::withRefresh).orElse(GarpSchedule.DEFAULT);
        // Opening the capture handles and installing flow handoff's base rules need nothing from
        // the API, so they run while its access is read and its HTTP client built (mostly class
        // loading), not after it: every restart and upgrade waits for all three.
        AtomicLong capturedAt = new AtomicLong();
        AtomicLong handoffAt = new AtomicLong();
        CompletableFuture<PcapAnnouncer> pcap = aside("ferrite-start-capture", () -> {
            PcapAnnouncer opened = PcapAnnouncer.start(new PcapAnnouncer.Settings(options.interfaces(),
                    options.interfaceExcludes(), schedule));
            capturedAt.set(Speaker.sinceProcessStart());
            return opened;
        });
        CompletableFuture<FlowHandoff> handoff = aside("ferrite-start-handoff", () -> {
            FlowHandoff started = Speaker.startHandoff(options);
            handoffAt.set(Speaker.sinceProcessStart());
            return started;
        });
        KubeApi api;
        try {
            // the JDK's HTTP client with the credentials read here, not a Kubernetes client
            // library: a speaker runs on every node, and the library's classes were most of its
            // memory (docs/design.md, "Speaker footprint")
            api = new KubeApi(ApiAccess.resolve(kubeconfig, System.getenv()));
        } catch (IOException | RuntimeException e) {
            // flow handoff's rules are being installed meanwhile: they must not outlive this exit
            err.println("speaker: " + e.getMessage());
            stopStarted(handoff);
            return EXIT_USAGE;
        }
        long clientAt = Speaker.sinceProcessStart();
        Speaker speaker;
        try {
            PcapAnnouncer announcer = await(pcap);
            FlowHandoff handoffRules = await(handoff);
            log.info("node {}: API client built at {} ms, capture handles open at {} ms, flow handoff ready at {} ms"
                    + " after the process started", options.node(), clientAt, capturedAt.get(), handoffAt.get());
            speaker = Speaker.start(options, api, announcer, handoffRules);
        } catch (IllegalArgumentException e) {
            err.println("speaker: " + e.getMessage());
            stopStarted(handoff);
            return EXIT_USAGE;
        } catch (IOException | RuntimeException e) {
            // No capture permission (needs CAP_NET_RAW), port in use, API unreachable: say what, not where.
            err.println("speaker: cannot start on node " + options.node() + ": " + e.getMessage());
            stopStarted(handoff);
            return EXIT_FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            speaker.shutdown();
            stopped.countDown();
        }, "ferrite-speaker-shutdown"));
        stopped.await();
        return 0;
    }

    /** A start-up step that may fail as the speaker's own start does. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    /** Runs {@code step} on a thread of its own; the future holds its result or its failure. */
    private static <T> CompletableFuture<T> aside(String threadName, Step<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(step.run());
            } catch (IOException | RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Waits for a step run {@link #aside}, failing as the step failed. */
    private static <T> T await(CompletableFuture<T> step) throws IOException {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error er) {
                // a missing libpcap, say: the speaker says what and exits, and removes its rules
                throw new IOException(er.toString(), er);
            }
            throw e;
        }
    }

    /**
     * The speaker did not start: removes flow handoff's rules once their step is done (they
     * would outlive the process). A speaker that did start owns and stops them; stopping twice
     * does nothing.
     */
    private static void stopStarted(CompletableFuture<FlowHandoff> handoff) {
        try {
            handoff.join().stop();
        } catch (CompletionException e) {
            // never started: nothing to remove
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpeakerCommand()).execute(args));
    }
}
