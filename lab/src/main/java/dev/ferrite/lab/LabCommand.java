package dev.ferrite.lab;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.drill.ClientProbe;
import dev.ferrite.lab.drill.Drill;
import dev.ferrite.lab.drill.Fault;
import dev.ferrite.lab.drill.LabSession;
import dev.ferrite.lab.drill.SpeakerArgsOption;
import dev.ferrite.lab.netns.LabMarker;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabRefusedException;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.ContainerImage;
import dev.ferrite.lab.report.FaultRun;
import dev.ferrite.lab.report.FaultSummary;
import dev.ferrite.lab.report.JsonReport;
import dev.ferrite.lab.report.ProgressLine;
import dev.ferrite.lab.report.SummaryTable;
import dev.ferrite.lab.report.Timeline;
import dev.ferrite.lab.report.TimelineSvg;
import dev.ferrite.lab.drill.TrafficPolicy;
import dev.ferrite.lab.proxy.ProxyMode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferrite lab}: the one-machine lab. {@code drill} builds it, runs failover drills
 * and tears it down; {@code up} builds it and keeps it running until Ctrl-C; {@code down}
 * removes labs left running or left behind.
 */
@Command(name = "ferrite lab", mixinStandardHelpOptions = true,
        description = "One-machine lab in network namespaces: failover drills with real speakers and a real client.",
        subcommands = {LabCommand.DrillCommand.class, LabCommand.UpCommand.class, LabCommand.DownCommand.class})
public final class LabCommand implements Runnable {
    /** Exit codes: 1 = a drill left a Service unrestored or answered by two MACs; 2 = refused or bad arguments. */
    public static final int EXIT_DRILL_FAILED = 1;
    public static final int EXIT_REFUSED = 2;
    static final String DEFAULT_FAULTS = "crash,link-down,drain,upgrade,partition,api-down";

    /**
     * A run that must fail the drill: a Service not restored, an IP answered by two MACs after
     * settling, or client traffic dropped at a node without a ready local endpoint when the
     * fault was not the loss of that endpoint.
     */
    static boolean foundProblem(FaultRun r) {
        return !r.restored() || !r.duplicateAnswers().isEmpty()
                || (r.noLocalEndpointDrops() > 0 && !r.fault().startsWith(Fault.ENDPOINT_GONE.cliName()));
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by {@code drill} and {@code up}. */
    static final class LabOptions {
        @Option(names = "--nodes", defaultValue = "3", description = "Node hosts, each with a speaker (default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--services", defaultValue = "1", description = "LoadBalancer Services (default ${DEFAULT-VALUE}).")
        int services;

        @Option(names = "--kubeconfig", description = "Use this cluster's API instead of the embedded API server"
                + " (its server must be reachable from the lab namespaces).")
        Path kubeconfig;

        @Option(names = "--prefix", defaultValue = Topology.DEFAULT_PREFIX, description = "Name prefix of the lab's namespaces (default ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--proxy-mode", defaultValue = "nftables", description = "kube-proxy mode the nodes imitate: nftables or ipvs (default ${DEFAULT-VALUE}).")
        String proxyMode;

        @Option(names = "--etp", defaultValue = "cluster", description = "externalTrafficPolicy of the Services: cluster, local, or mix"
                + " (odd-numbered Services Local); with Local Services the last node runs no pod (default ${DEFAULT-VALUE}).")
        String etp;

        @Option(names = "--connections", defaultValue = "4", description = "Long-lived client connections per Service (default ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--verbose", description = "Print the lab's own log lines on the terminal instead of into its log directory.")
        boolean verbose;

        @Option(names = "--image", paramLabel = "IMAGE", description = "Run the controller and the speakers from this image"
                + " with podman (e.g. localhost/ferrite:<version> from deploy/image/build), as the manifests run them,"
                + " instead of from this jar. podman reads CONTAINERS_CONF, which ./ferrite points at"
                + " deploy/image/containers.conf unless it is set.")
        String image;

        @Mixin
        SpeakerArgsOption speakerArgs = new SpeakerArgsOption();

        Optional<String> invalid() {
            if (nodes < 2 || nodes > Topology.MAX_NODES) {
                return Optional.of("--nodes " + nodes + ": must be between 2 (a failover needs a second node) and " + Topology.MAX_NODES);
            }
            if (services < 1 || services > Topology.vipCapacity()) {
                return Optional.of("--services " + services + ": must be between 1 and " + Topology.vipCapacity()
                        + " (the lab's address pool holds " + Topology.vipCapacity(IpFamily.IPv4) + " IPv4 and "
                        + Topology.vipCapacity(IpFamily.IPv6) + " IPv6 addresses)");
            }
            if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
                return Optional.of("--kubeconfig " + kubeconfig + ": file not readable");
            }
            if (ProxyMode.byName(proxyMode).isEmpty()) {
                return Optional.of("--proxy-mode " + proxyMode + ": must be nftables or ipvs");
            }
            if (TrafficPolicy.byName(etp).isEmpty()) {
                return Optional.of("--etp " + etp + ": must be cluster, local or mix");
            }
            if (connections < 0 || connections > 64) {
                return Optional.of("--connections " + connections + ": must be between 0 and 64");
            }
            if (image != null && image.isBlank()) {
                return Optional.of("--image: an image reference is required, e.g. localhost/ferrite:0.1.0");
            }
            return speakerArgs.problem();
        }

        TrafficPolicy trafficPolicy() {
            return TrafficPolicy.byName(etp).orElseThrow();
        }

        /** A run's directory, the terminal's stderr, and the progress line shown on it. */
        record Run(Path dir, PrintStream terminal, ProgressLine progress) {
        }

        /**
         * A fresh run directory and, unless {@code --verbose}, the lab's own log lines (its slf4j
         * output on stderr) sent to {@code logs/drill.log} in it; the progress line stays on the
         * terminal.
         */
        Run newRun() throws IOException {
            Path runDir = Files.createTempDirectory("ferrite-lab-");
            PrintStream terminal = System.err;
            if (!verbose) {
                Path logs = Files.createDirectories(runDir.resolve("logs"));
                System.setErr(new PrintStream(new FileOutputStream(logs.resolve("drill.log").toFile(), true), true,
                        StandardCharsets.UTF_8));
            }
            return new Run(runDir, terminal, new ProgressLine(terminal, System.console() != null));
        }

        /** Prints why the options are refused, if they are; true when the command must stop. */
        boolean refuseIfInvalid(PrintWriter err) {
            Optional<String> invalid = invalid();
            invalid.ifPresent(err::println);
            return invalid.isPresent();
        }

        LabSession.Options session() {
            LabSession.Options options = new LabSession.Options(nodes, prefix, Optional.ofNullable(kubeconfig),
                    ProxyMode.byName(proxyMode).orElseThrow(), trafficPolicy(), connections).withSpeakerArgs(speakerArgs.args());
            return containerImage().map(options::withImage).orElse(options);
        }

        Optional<ContainerImage> containerImage() {
            return Optional.ofNullable(image).map(i -> new ContainerImage(i, Optional.empty()));
        }

        /** Builds the lab; empty, with the reason on {@code err}, when the machine refuses it. */
        Optional<LabSession> start(Run run, Consumer<String> setup, PrintWriter err) throws IOException {
            try {
                return Optional.of(LabSession.start(session(), Optional.of(run.dir()), setup));
            } catch (LabRefusedException e) {
                run.progress().finish();
                err.println(e.getMessage());
                return Optional.empty();
            }
        }
    }

    @Command(name = "drill", mixinStandardHelpOptions = true,
            description = "Build a lab, inject faults on the owner of the first Service, measure the client-observed outage, tear down.")
    public static final class DrillCommand implements Callable<Integer> {
        @Mixin
        LabOptions lab = new LabOptions();

        @Option(names = "--runs", defaultValue = "3", description = "Runs of each fault (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--faults", description = "Faults to inject, comma separated (default: " + DEFAULT_FAULTS
                + ", and endpoint-gone with --etp local or mix).")
        String faults;

        @Option(names = "--json", description = "Write every run and p50/p99/max per fault to this file.")
        Path json;

        @Option(names = "--svg", description = "Write a timeline SVG of the first run of each fault to this file.")
        Path svg;

        @Option(names = "--keep-probe-log", description = "Keep the client probe's raw log (a line per probe) in the"
                + " log directory even when the drill found no problem.")
        boolean keepProbeLog;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            if (lab.refuseIfInvalid(err)) {
                return EXIT_REFUSED;
            }
            if (runs < 1 || runs > 1000) {
                err.println("--runs " + runs + ": must be between 1 and 1000");
                return EXIT_REFUSED;
            }
            boolean anyLocal = lab.trafficPolicy().anyLocal();
            Fault.Parsed parsed = Fault.parseList(faults != null ? faults : DEFAULT_FAULTS + (anyLocal ? ",endpoint-gone" : ""));
            if (parsed instanceof Fault.Parsed.Invalid bad) {
                err.println(bad.message());
                return EXIT_REFUSED;
            }
            List<Fault> chosen = ((Fault.Parsed.Valid) parsed).faults();
            if (lab.kubeconfig != null && chosen.contains(Fault.API_DOWN)) {
                err.println("--faults api-down: needs the embedded API server (the lab cannot stop a real cluster's API); drop it or --kubeconfig");
                return EXIT_REFUSED;
            }
            if (chosen.contains(Fault.ENDPOINT_GONE) && !anyLocal) {
                err.println("--faults endpoint-gone: needs Services with externalTrafficPolicy Local; add --etp local or --etp mix");
                return EXIT_REFUSED;
            }
            LabOptions.Run run = lab.newRun();
            ProgressLine progress = run.progress();
            Consumer<String> setup = text -> progress.show(0, runs * chosen.size(), text);
            List<FaultRun> results;
            boolean failed;
            try {
                Optional<LabSession> started = lab.start(run, setup, err);
                if (started.isEmpty()) {
                    return EXIT_REFUSED;
                }
                LabSession session = started.get();
                session.keepRunDir();
                try {
                    session.deployServices(lab.services, Duration.ofSeconds(60), setup);
                    results = new Drill(session, Drill.Plan.of(chosen, runs), progress).run();
                    failed = results.stream().anyMatch(LabCommand::foundProblem);
                    if (!failed && !keepProbeLog) {
                        session.discardProbeLogs();
                    }
                } catch (RuntimeException e) {
                    progress.finish();
                    err.println("drill failed: " + e.getMessage() + " (lab logs kept in " + session.logDir() + ")");
                    return EXIT_DRILL_FAILED;
                } finally {
                    session.close();
                }
            } finally {
                System.setErr(run.terminal());
            }
            out.print(SummaryTable.render(FaultSummary.of(results)));
            out.print(SummaryTable.notes(results));
            if (json != null) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("nodes", lab.nodes);
                params.put("services", lab.services);
                params.put("runs", runs);
                params.put("faults", chosen.stream().map(Fault::cliName).toList());
                params.put("embeddedApiServer", lab.kubeconfig == null);
                params.put("proxyMode", lab.proxyMode);
                params.put("externalTrafficPolicy", lab.etp);
                params.put("connectionsPerService", lab.connections);
                params.put("connectionRequestIntervalMs", ClientProbe.connectionIntervalMillis(lab.services));
                params.put("probeIntervalMs", ClientProbe.probeIntervalMillis(lab.services));
                Files.writeString(json, JsonReport.render(params, results));
            }
            if (svg != null) {
                Files.writeString(svg, TimelineSvg.render("ferrite lab drill: " + lab.nodes + " nodes, "
                        + lab.services + (lab.services == 1 ? " Service" : " Services") + ", " + lab.proxyMode
                        + " mode", firstRunPerFault(results)));
            }
            if (failed) {
                out.println("drill found a problem (see the table)");
            }
            out.println("JSON: " + (json == null ? "not written (--json FILE)" : json.toAbsolutePath())
                    + "   SVG: " + (svg == null ? "not written (--svg FILE)" : svg.toAbsolutePath()));
            out.println("logs: " + run.dir().resolve("logs") + (failed || keepProbeLog ? "" : " (the client probe's raw log removed)"));
            out.flush();
            return failed ? EXIT_DRILL_FAILED : 0;
        }

        static List<Timeline> firstRunPerFault(List<FaultRun> results) {
            Set<String> seen = new LinkedHashSet<>();
            List<Timeline> out = new ArrayList<>();
            for (FaultRun r : results) {
                if (seen.add(r.fault())) {
                    out.add(r.timeline());
                }
            }
            return out;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Build a lab and keep it running until Ctrl-C (or `ferrite lab down`).")
    public static final class UpCommand implements Callable<Integer> {
        @Mixin
        LabOptions lab = new LabOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            if (lab.refuseIfInvalid(err)) {
                return EXIT_REFUSED;
            }
            LabOptions.Run run = lab.newRun();
            ProgressLine progress = run.progress();
            Consumer<String> setup = text -> progress.show(0, 0, text);
            Optional<LabSession> started = lab.start(run, setup, err);
            if (started.isEmpty()) {
                return EXIT_REFUSED;
            }
            LabSession session = started.get();
            CountDownLatch down = new CountDownLatch(1);
            // the network's own hook tears the namespaces down; this one only releases the wait
            Runtime.getRuntime().addShutdownHook(new Thread(down::countDown, "lab-up-release"));
            try {
                Map<String, String> ips;
                try {
                    ips = session.deployServices(lab.services, Duration.ofSeconds(60), setup);
                } catch (RuntimeException e) {
                    progress.finish();
                    session.keepRunDir();
                    err.println("lab up failed: " + e.getMessage() + " (lab logs kept in " + session.logDir() + ")");
                    return EXIT_DRILL_FAILED;
                }
                progress.finish();
                out.print(howToReach(session, ips));
                out.flush();
                down.await();
            } finally {
                session.close();
            }
            return 0;
        }

        static String howToReach(LabSession session, Map<String, String> ips) {
            Topology t = session.topology();
            StringBuilder sb = new StringBuilder();
            sb.append("lab ").append(t.labName()).append(" is up: ").append(t.nodes().size()).append(" nodes, ")
                    .append(ips.size()).append(ips.size() == 1 ? " Service\n" : " Services\n");
            String first = ips.get(session.services().get(0));
            sb.append("  reach a Service:   ip netns exec ").append(t.client().namespace())
                    .append(" curl http://").append(first.contains(":") ? "[" + first + "]" : first).append("/\n");
            sb.append("  Service IPs:       ");
            ips.forEach((name, ip) -> sb.append(name).append('=').append(ip).append(' '));
            sb.append('\n');
            session.hostKubeconfig().ifPresent(k -> sb.append("  kubectl:           kubectl --kubeconfig ").append(k)
                    .append(" get svc,endpointslices,ipaddresspools -A   (from this host, while the lab is up)\n"));
            sb.append("  kubeconfig:        ").append(session.kubeconfig())
                    .append(" (plain http, reachable from the lab namespaces, e.g. ip netns exec ")
                    .append(t.controlPlane().namespace()).append(" ...)\n");
            sb.append("  neighbour table:   ip -n ").append(t.client().namespace()).append(" neigh\n");
            sb.append("  kube-proxy rules:  ip netns exec ").append(t.nodes().get(0).namespace())
                    .append(" nft list table ip kube-proxy (").append(session.options().proxyMode().cliName()).append(" mode)\n");
            sb.append("  pods:              ");
            t.pods().forEach(p -> sb.append(p.name()).append('=').append(p.host().ipv4()).append(' '));
            sb.append('\n');
            sb.append("  logs:              ").append(session.logDir()).append('\n');
            sb.append("  stop:              Ctrl-C here, or ferrite lab down\n");
            return sb.toString();
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop labs started by `lab up` (by their owner's PID) and remove labs whose owner died.")
    public static final class DownCommand implements Callable<Integer> {
        @Option(names = "--prefix", defaultValue = Topology.DEFAULT_PREFIX, description = "Name prefix of the labs (default ${DEFAULT-VALUE}).")
        String prefix;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            int stopped = 0;
            for (LabMarker m : LabMarker.all(LabMarker.DEFAULT_ROOT, prefix)) {
                if (!m.owner().isAlive()) {
                    continue;
                }
                long pid = m.owner().pid();
                out.println("stopping lab " + m.labName() + " (owner pid " + pid + ")");
                out.flush();
                // SIGTERM: the owner's shutdown hook stops its processes and removes its namespaces
                Optional<ProcessHandle> owner = ProcessHandle.of(pid);
                if (owner.isPresent()) {
                    owner.get().destroy();
                    try {
                        owner.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                        stopped++;
                    } catch (java.util.concurrent.TimeoutException e) {
                        out.println("lab " + m.labName() + ": owner pid " + pid + " still running after 30 s; leaving it");
                    }
                }
            }
            List<String> removed = LabNetwork.removeStale(prefix);
            removed.forEach(name -> out.println("removed stale lab " + name));
            if (stopped == 0 && removed.isEmpty()) {
                out.println("no lab with prefix " + prefix + " is running");
            }
            return 0;
        }
    }

    /**
     * The main class of {@code lab/target/ferrite-lab.jar}, which the {@code ferrite} script of a
     * checkout runs for {@code ferrite lab ...}; the jar that ships to clusters has no lab.
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new LabCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
