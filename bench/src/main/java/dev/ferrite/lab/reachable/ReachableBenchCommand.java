package dev.ferrite.lab.reachable;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.drill.LabObjects;
import dev.ferrite.lab.drill.LabSession;
import dev.ferrite.lab.drill.NeighbourAnswer;
import dev.ferrite.lab.drill.SpeakerArgsOption;
import dev.ferrite.lab.netns.CommandResult;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabRefusedException;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.ContainerImage;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import dev.ferrite.speaker.status.StatusName;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.bench.PeriodicThread;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferrite bench reachable}: in a lab of real speakers, N Services are created as fast
 * as the API server takes them (8 in flight); per Service the time from the create request to
 * its address in status (the benchmark's own watch), to the first ARP claim for the address on
 * the client's wire (tcpdump), and to the first HTTP answer from a node through the lab's data
 * path. Then the same for deleting them: to the owner's ServiceL2Status gone (the owner has
 * withdrawn) and to the last answer the client still got. The CPU seconds each lab process
 * used from the first create until every Service answered (the lab shares the machine's
 * cores, so these say where a burst's time went). Then, once every Service's owner has written
 * its ServiceL2Status and no status event came for 3 s (steady state), speaker and controller
 * footprint at rest, and one speaker restarted: process start to its first announcement and
 * to ready.
 *
 * <p>The Services' addresses come from {@value #RANGE} (the lab's pool is widened to it), held
 * by every node as one local route on {@code kube-ipvs0} from the start, and each Service's
 * EndpointSlice (the lab's pods) is written before the Service is created, so the data path
 * waits only for the address: the kube-proxy stand-in programs it from the Service's status,
 * as kube-proxy does, and the rest of what is timed is Ferrite's part.
 */
@Command(name = "reachable", mixinStandardHelpOptions = true,
        description = "Lab benchmark: create N Services, time address, first ARP answer and first HTTP answer per Service; "
                + "the same for deletion; speaker/controller footprint; speaker start-up. Needs root.")
public final class ReachableBenchCommand implements Callable<Integer> {

    static final String RANGE = "198.18.4.1-198.18.7.254";
    static final String PREFIX = "198.18.4.0/22";
    static final int MAX_SERVICES = 1022;
    static final int IN_FLIGHT = 8;
    static final String SERVICE_PREFIX = "reach-";
    static final String WARM_UP_PREFIX = SERVICE_PREFIX + "warm-up-";

    @Option(names = "--services", defaultValue = "100", description = "Services to create (1 to " + MAX_SERVICES + ", default ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--nodes", defaultValue = "3", description = "Lab nodes, each with a speaker (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--warm-up", defaultValue = "50", description = "Services created, answered and deleted before the"
            + " measured ones, so the lab's JVMs have run that code once, as a cluster's long-running ones have"
            + " (default ${DEFAULT-VALUE}; 0: a cold lab).")
    int warmUp;

    @Option(names = "--json", description = "Print only the JSON result (default: a summary, then the JSON).")
    boolean json;

    @Option(names = "--rest", defaultValue = "10", description = "Seconds of rest before footprint is read, and seconds it is read over (default ${DEFAULT-VALUE}).")
    int restSeconds;

    @Option(names = "--speaker-jvm-options", split = " ",
            description = "The speakers' JVM options, space separated (default: the lab's, see docs/benchmarks.md;"
                    + " from a jar the lab adds its class-data archive unless these options set class sharing).")
    List<String> speakerJvmOptions;

    @CommandLine.Mixin
    SpeakerArgsOption speakerArgs = new SpeakerArgsOption();

    @Option(names = "--image", paramLabel = "IMAGE", description = "Run controller and speakers from this image with podman,"
            + " as lab drill --image does (default: from this jar).")
    String image;

    @Option(names = "--keep-logs", description = "Keep the lab's run directory (every process's log) after the run.")
    boolean keepLogs;

    @Option(names = "--timeline", paramLabel = "FILE", description = "Write each measured Service's times (ms from the"
            + " first create: created, address in status, first ARP claim, first HTTP answer) to FILE, tab separated.")
    Path timeline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> addressed = new ConcurrentHashMap<>();
    private final Map<String, String> ipOf = new ConcurrentHashMap<>();
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();
    private final Map<String, Long> withdrawn = new ConcurrentHashMap<>();
    /** The ServiceL2Status objects there are of each Service, by Service name. */
    private final Map<String, Set<String>> statusObjects = new ConcurrentHashMap<>();
    private volatile long lastStatusEventNanos = System.nanoTime();
    private final StringBuilder summary = new StringBuilder();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (services < 1 || services > MAX_SERVICES) {
            err.println("--services " + services + ": must be between 1 and " + MAX_SERVICES);
            return 2;
        }
        if (warmUp < 0 || warmUp > MAX_SERVICES) {
            err.println("--warm-up " + warmUp + ": must be between 0 and " + MAX_SERVICES);
            return 2;
        }
        if (nodes < 2 || nodes > Topology.MAX_NODES) {
            err.println("--nodes " + nodes + ": must be between 2 and " + Topology.MAX_NODES);
            return 2;
        }
        Optional<String> argsProblem = speakerArgs.problem();
        if (argsProblem.isPresent()) {
            err.println(argsProblem.get());
            return 2;
        }
        if (timeline != null) {
            Path dir = timeline.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir) || !Files.isWritable(dir) || Files.isDirectory(timeline)) {
                err.println("--timeline " + timeline + ": " + (Files.isDirectory(timeline) ? "is a directory"
                        : "its directory " + dir + " does not exist or is not writable"));
                return 2;
            }
        }
        // wall-clock times, to line up with the lab processes' logs (kept with --keep-logs)
        Consumer<String> progress = m -> err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " bench reachable: " + m);
        LabSession lab;
        try {
            List<String> jvm = speakerJvmOptions == null ? LabProcesses.SPEAKER_JVM_OPTIONS : speakerJvmOptions;
            LabSession.Options options = new LabSession.Options(nodes, Topology.DEFAULT_PREFIX, Optional.empty(), jvm)
                    .withSpeakerArgs(speakerArgs.args());
            if (image != null) {
                options = options.withImage(new ContainerImage(image, Optional.empty()));
            }
            lab = LabSession.start(options, progress);
            if (keepLogs) {
                lab.keepRunDir();
            }
        } catch (LabRefusedException e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            String out = run(lab, progress);
            if (!json) {
                spec.commandLine().getOut().println(summary.toString().strip());
            }
            spec.commandLine().getOut().println(out);
            return 0;
        } catch (RuntimeException | InterruptedException e) {
            lab.keepRunDir();
            err.println("bench reachable failed: " + e.getMessage() + " (lab logs kept in " + lab.logDir() + ")");
            return 1;
        } finally {
            lab.close();
        }
    }

    private String run(LabSession lab, Consumer<String> progress) throws IOException, InterruptedException {
        KubernetesClient client = lab.client();
        new LabObjects(client).createPool(List.of(RANGE));
        for (Host node : lab.topology().nodes()) {
            must(lab.network().exec(node, List.of("ip", "route", "add", "local", PREFIX, "dev", Topology.VIP_LINK)));
        }
        Host clientHost = lab.topology().client();
        must(lab.network().exec(clientHost, List.of("ip", "route", "add", PREFIX, "dev", Topology.UPLINK)));
        Path targets = lab.runDir().resolve("reachable-targets");
        Files.writeString(targets, "");
        LabProcess probe = lab.startJava(clientHost, "reachable-probe", FirstAnswerProbe.class.getName(),
                List.of(targets.toString(), Integer.toString(NodeBackend.DEFAULT_PORT)));
        if (probe.awaitLine(l -> l.startsWith(FirstAnswerProbe.READY), Duration.ofSeconds(30)).isEmpty()) {
            throw new IllegalStateException("client probe did not start; see " + probe.log());
        }
        String ns = LabObjects.SERVICE_NAMESPACE;
        Watch serviceWatch = client.services().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Service s) {
                long now = System.nanoTime();
                String name = s.getMetadata().getName();
                if (action == Action.DELETED || !name.startsWith(SERVICE_PREFIX) || s.getStatus() == null
                        || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null
                        || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
                    return;
                }
                String ip = s.getStatus().getLoadBalancer().getIngress().get(0).getIp();
                if (ip != null && addressed.putIfAbsent(name, now) == null) {
                    ipOf.put(name, ip);
                    append(targets, ip + "\n");
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        Watch statusWatch = client.resources(ServiceL2Status.class).inNamespace(LabObjects.FERRITE_NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ServiceL2Status s) {
                Map<String, String> labels = s.getMetadata().getLabels();
                String name = labels == null ? null : labels.get(StatusName.SERVICE_NAME_LABEL);
                if (name == null) {
                    return;
                }
                lastStatusEventNanos = System.nanoTime();
                Set<String> objects = statusObjects.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet());
                if (action == Action.DELETED) {
                    objects.remove(s.getMetadata().getName());
                    if (deleted.containsKey(name)) {
                        withdrawn.putIfAbsent(name, System.nanoTime());
                    }
                } else {
                    objects.add(s.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        try {
            if (warmUp > 0) {
                progress.accept("warming up: " + warmUp + " Services created, answered and deleted");
                List<String> warm = new ArrayList<>();
                for (int i = 0; i < warmUp; i++) {
                    warm.add(WARM_UP_PREFIX + i);
                }
                parallel(warm, name -> lab.writeEndpointSlice(name, IpFamily.IPv4));
                createAll(client, warm);
                Duration warmBound = Duration.ofSeconds(60 + warmUp / 10);
                if (awaitAnswers(probe, warm, warmBound).size() < warm.size()) {
                    throw new IllegalStateException("warm-up: not every Service answered within " + warmBound.toSeconds() + " s");
                }
                // as before the measured deletion: a Service whose owner has not written its
                // ServiceL2Status yet would never be seen withdrawn, and deleteAll would wait out its bound
                awaitStatusObjects(warm, Duration.ofSeconds(30));
                deleteAll(lab, client, targets, warm, warmBound);
                parallel(warm, lab::deleteEndpointSlice);
                // the probe stops asking for the warm-up's addresses; a measured Service may get one again
                warm.forEach(name -> append(targets, "forget " + ipOf.getOrDefault(name, "") + "\n"));
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                names.add(SERVICE_PREFIX + i);
            }
            // the pods' EndpointSlices first: the kube-proxy stand-in programs each address as soon as it is in status
            parallel(names, name -> lab.writeEndpointSlice(name, IpFamily.IPv4));
            progress.accept("creating " + services + " Services, " + IN_FLIGHT + " in flight");
            Map<String, Long> pids = labPids(lab, probe);
            Map<String, ProcessFootprint> cpuBefore = footprints(pids);
            long t0 = System.nanoTime();
            createAll(client, names);
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            Duration bound = Duration.ofSeconds(60 + services / 10);
            Map<String, Long> answered = awaitAnswers(probe, names, bound);
            double reachableSeconds = (System.nanoTime() - t0) / 1e9;
            String burstCpu = cpuSeconds(cpuBefore, footprints(pids));
            Map<String, Long> firstArp = firstArp(lab, names);

            // steady state: the speakers' bookkeeping (one ServiceL2Status per Service, written
            // after a quiet period and queued behind the API server) is done before the rest
            progress.accept("waiting until every Service's owner has written its ServiceL2Status");
            int unwrittenAtRest = awaitStatusObjects(names, bound);
            double statusSettledSeconds = (lastStatusEventNanos - t0) / 1e9;
            progress.accept("resting " + restSeconds + " s, then reading footprint over " + restSeconds + " s");
            Thread.sleep(restSeconds * 1000L);
            String footprint = footprint(lab);

            progress.accept("restarting the speaker of " + lab.topology().node(1).name());
            String startup = restartSpeaker(lab);

            // a speaker writes its ServiceL2Status objects after a quiet period: the withdrawal
            // is timed by their deletion, so every Service's owner must have written one first,
            // and the restart's takeovers and takebacks must be written and deleted
            int unwritten = awaitStatusObjects(names, Duration.ofSeconds(30));
            progress.accept("deleting " + services + " Services");
            long d0 = System.nanoTime();
            deleteAll(lab, client, targets, names, bound);
            double withdrawnSeconds = (System.nanoTime() - d0) / 1e9;
            Map<String, Long> lastAnswer = lastAnswers(probe);

            if (timeline != null) {
                Files.writeString(timeline, timeline(names, t0, created, addressed, firstArp, answered));
            }
            List<Double> toStatus = new ArrayList<>();
            List<Double> toArp = new ArrayList<>();
            List<Double> toHttp = new ArrayList<>();
            List<Double> statusToHttp = new ArrayList<>();
            List<Double> toWithdrawn = new ArrayList<>();
            List<Double> toSilent = new ArrayList<>();
            for (String n : names) {
                long c = created.get(n);
                since(c, addressed.get(n)).ifPresent(toStatus::add);
                since(c, firstArp.get(n)).ifPresent(toArp::add);
                since(c, answered.get(n)).ifPresent(toHttp::add);
                Long a = addressed.get(n);
                if (a != null) {
                    since(a, answered.get(n)).ifPresent(statusToHttp::add);
                }
                Long d = deleted.get(n);
                if (d != null) {
                    since(d, withdrawn.get(n)).ifPresent(toWithdrawn::add);
                    String ip = ipOf.get(n);
                    Long last = ip == null ? null : lastAnswer.get(ip);
                    toSilent.add(last == null || last < d ? 0.0 : (last - d) / 1e6);
                }
            }
            for (var e : Map.of("create -> address in status", toStatus, "create -> first ARP claim", toArp,
                    "create -> first HTTP answer", toHttp, "delete -> owner withdrawn", toWithdrawn,
                    "delete -> last answer", toSilent).entrySet()) {
                Latencies l = Latencies.of(e.getValue(), services);
                summary.append(String.format(Locale.ROOT, "%-28s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (%d missing)%n",
                        e.getKey(), l.p50(), l.p99(), l.max(), l.missing()));
            }
            double load = loadAverage();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("benchmark", "\"reachable\"");
            fields.put("services", Integer.toString(services));
            fields.put("nodes", Integer.toString(nodes));
            fields.put("warm_up_services", Integer.toString(warmUp));
            fields.put("image", image == null ? "null" : quote(image));
            fields.put("speaker_jvm_options", quote(String.join(" ", lab.speakerJvmOptions())));
            fields.put("speaker_args", quote(String.join(" ", speakerArgs.args())));
            fields.put("create_seconds", fmt(createSeconds));
            fields.put("all_answered_seconds", fmt(reachableSeconds));
            fields.put("cpu_seconds_create_to_all_answered", burstCpu);
            fields.put("create_to_status", Latencies.of(toStatus, services).json());
            fields.put("create_to_first_arp", Latencies.of(toArp, services).json());
            fields.put("create_to_first_http", Latencies.of(toHttp, services).json());
            fields.put("status_to_first_http", Latencies.of(statusToHttp, services).json());
            fields.put("delete_to_withdrawn", Latencies.of(toWithdrawn, services).json());
            fields.put("delete_to_last_answer", Latencies.of(toSilent, services).json());
            fields.put("delete_all_withdrawn_seconds", fmt(withdrawnSeconds));
            fields.put("services_without_status_object_before_delete", Integer.toString(unwritten));
            fields.put("services_without_status_object_before_rest", Integer.toString(unwrittenAtRest));
            fields.put("create_to_status_objects_written_s", String.format(Locale.ROOT, "%.1f", statusSettledSeconds));
            fields.put("at_rest", footprint);
            fields.put("speaker_startup", startup);
            fields.put("load_average_1m", fmt(load));
            StringBuilder sb = new StringBuilder("{");
            fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return sb.append('}').toString();
        } finally {
            serviceWatch.close();
            statusWatch.close();
        }
    }

    /**
     * One line per Service after a header: its name, then when it was created, got its address
     * in status, was first claimed by ARP and first answered, each in ms from {@code t0} (the
     * first create); empty where it never did.
     */
    static String timeline(List<String> names, long t0, Map<String, Long> created, Map<String, Long> addressed,
            Map<String, Long> firstArp, Map<String, Long> answered) {
        StringBuilder out = new StringBuilder("service\tcreated_ms\tstatus_ms\tfirst_arp_ms\tfirst_http_ms\n");
        for (String n : names) {
            out.append(n);
            for (Long at : Arrays.asList(created.get(n), addressed.get(n), firstArp.get(n), answered.get(n))) {
                out.append('\t').append(at == null ? "" : Long.toString((at - t0) / 1_000_000));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Waits (bounded) until each Service has a ServiceL2Status object and none has changed for
     * 3 s, longer than a speaker holds its writes: the objects of a restart's takeovers and
     * takebacks are settled. Returns how many Services still have none.
     */
    private int awaitStatusObjects(List<String> names, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        long settled = Duration.ofSeconds(3).toNanos();
        while (true) {
            int missing = (int) names.stream().filter(n -> statusObjects.getOrDefault(n, Set.of()).isEmpty()).count();
            if ((missing == 0 && System.nanoTime() - lastStatusEventNanos >= settled) || System.nanoTime() >= deadline) {
                return missing;
            }
            Thread.sleep(50);
        }
    }

    /** Creates the Services, {@value #IN_FLIGHT} at a time, noting when each create was sent. */
    private void createAll(KubernetesClient client, List<String> names) throws InterruptedException {
        parallel(names, name -> {
            created.put(name, System.nanoTime());
            client.services().inNamespace(LabObjects.SERVICE_NAMESPACE).resource(service(name)).create();
        });
    }

    /**
     * Deletes the Services, tells the probe their addresses are gone, and waits (bounded) until
     * every owner has withdrawn, then 2 s more for answers that should not come; meanwhile the
     * client's neighbour entries are flushed every 100 ms.
     */
    private void deleteAll(LabSession lab, KubernetesClient client, Path targets, List<String> names, Duration bound)
            throws InterruptedException {
        Thread flusher = flusher(lab, lab.topology().client());
        try {
            parallel(names, name -> {
                deleted.put(name, System.nanoTime());
                append(targets, "gone " + ipOf.getOrDefault(name, "") + "\n");
                client.services().inNamespace(LabObjects.SERVICE_NAMESPACE).withName(name).delete();
            });
            long deadline = System.nanoTime() + bound.toNanos();
            while (names.stream().anyMatch(n -> addressed.containsKey(n) && !withdrawn.containsKey(n))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(2000);
        } finally {
            flusher.interrupt();
        }
    }

    private static Service service(String name) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(LabObjects.SERVICE_NAMESPACE)
                .addToLabels(LabObjects.OWNED_LABEL, "true").endMetadata()
                .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy("Cluster")
                .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").addToSelector("app", name)
                .addNewPort().withName("http").withProtocol("TCP").withPort(NodeBackend.DEFAULT_PORT).endPort()
                .endSpec().build();
    }

    /**
     * Waits until the probe has an answer from every Service's address; by Service. An
     * answer counts for a Service only if it came after the Service was created: its address
     * may have been a warm-up Service's.
     */
    private Map<String, Long> awaitAnswers(LabProcess probe, List<String> names, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Map<String, Long> out = firstSinceCreate(names, answers(probe));
            if (out.size() >= names.size() || System.nanoTime() >= deadline) {
                return out;
            }
            Thread.sleep(100);
        }
    }

    /** Every {@code answered IP T_NANOS ...} line of the probe's log: the times by IP, in order. */
    private static Map<String, List<Long>> answers(LabProcess probe) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String line : probe.lines()) {
            if (line.startsWith(FirstAnswerProbe.ANSWERED)) {
                String[] f = line.substring(FirstAnswerProbe.ANSWERED.length()).split(" ");
                if (f.length >= 2) {
                    out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[1]));
                }
            }
        }
        return out;
    }

    /** The last {@code still IP T_NANOS} line of the probe's log by IP. */
    private static Map<String, Long> lastAnswers(LabProcess probe) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : probe.lines()) {
            if (line.startsWith(FirstAnswerProbe.STILL)) {
                String[] f = line.substring(FirstAnswerProbe.STILL.length()).split(" ");
                if (f.length >= 2) {
                    out.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        return out;
    }

    /** The first ARP claim of each Service's address seen on the client after the Service was created. */
    private Map<String, Long> firstArp(LabSession lab, List<String> names) {
        Map<String, List<Long>> byIp = new LinkedHashMap<>();
        for (NeighbourAnswer a : lab.arpWatch().answers()) {
            byIp.computeIfAbsent(a.ip(), k -> new ArrayList<>()).add(a.atNanos());
        }
        return firstSinceCreate(names, byIp);
    }

    /** Per Service, the first of its address's times at or after its create. */
    private Map<String, Long> firstSinceCreate(List<String> names, Map<String, List<Long>> timesByIp) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : names) {
            long since = created.get(n);
            timesByIp.getOrDefault(ipOf.get(n), List.of()).stream().filter(t -> t >= since).min(Long::compare)
                    .ifPresent(t -> out.put(n, t));
        }
        return out;
    }

    /**
     * Flushes the client's neighbour entries for the benchmark's addresses every 100 ms, so
     * every probe of a deleted Service's address asks ARP again and only an answering node
     * can serve it.
     */
    private static Thread flusher(LabSession lab, Host client) {
        return PeriodicThread.start("neighbour-flush", 100,
                () -> lab.network().exec(client, List.of("ip", "neigh", "flush", "to", PREFIX, "dev", Topology.UPLINK)));
    }

    /** The speakers and the controller by role: the processes a cluster runs. */
    private static Map<String, Long> ferritePids(LabSession lab) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Host node : lab.topology().nodes()) {
            pids.put("speaker_" + node.name(), lab.speaker(node.name()).pid());
        }
        lab.controller().ifPresent(c -> pids.put("controller", c.pid()));
        return pids;
    }

    /**
     * Every process sharing the machine's cores during a burst: Ferrite's, the API server, the
     * kube-proxy stand-ins, the client's probe and this JVM (which creates the Services and
     * watches them).
     */
    private static Map<String, Long> labPids(LabSession lab, LabProcess probe) {
        Map<String, Long> pids = ferritePids(lab);
        lab.apiServer().ifPresent(a -> pids.put("apiserver", a.pid()));
        for (Host node : lab.topology().nodes()) {
            pids.put("proxy_" + node.name(), lab.proxy(node.name()).pid());
        }
        pids.put("client_probe", probe.pid());
        pids.put("benchmark", ProcessHandle.current().pid());
        return pids;
    }

    private static Map<String, ProcessFootprint> footprints(Map<String, Long> pids) {
        Map<String, ProcessFootprint> out = new LinkedHashMap<>();
        pids.forEach((k, pid) -> ProcessFootprint.of(pid).ifPresent(f -> out.put(k, f)));
        return out;
    }

    /** CPU seconds of each process between two readings (with ended children), and their total. */
    private static String cpuSeconds(Map<String, ProcessFootprint> before, Map<String, ProcessFootprint> after) {
        StringBuilder sb = new StringBuilder("{");
        double total = 0;
        for (Map.Entry<String, ProcessFootprint> e : after.entrySet()) {
            ProcessFootprint b = before.get(e.getKey());
            if (b != null) {
                double s = ProcessFootprint.cpuSeconds(b, e.getValue());
                total += s;
                sb.append(String.format(Locale.ROOT, "\"%s\":%.2f,", e.getKey(), s));
            }
        }
        return sb.append(String.format(Locale.ROOT, "\"total\":%.2f}", total)).toString();
    }

    private String footprint(LabSession lab) throws InterruptedException {
        Map<String, Long> pids = ferritePids(lab);
        Map<String, ProcessFootprint> before = footprints(pids);
        long t0 = System.nanoTime();
        Thread.sleep(restSeconds * 1000L);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Optional<ProcessFootprint> after = ProcessFootprint.of(e.getValue());
            ProcessFootprint b = before.get(e.getKey());
            if (after.isEmpty() || b == null) {
                continue;
            }
            sb.append(sb.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
                    "\"%s\":{\"rss_mb\":%.1f,\"cpu_percent_of_a_core\":%.2f,\"threads\":%d}", e.getKey(),
                    after.get().rssKb() / 1024.0, ProcessFootprint.cpuPercent(b, after.get(), seconds), after.get().threads()));
        }
        return sb.append('}').toString();
    }

    /**
     * SIGTERM to node 1's speaker, then a new one: from the new process's start to the first
     * claim from node 1's MAC on the client's wire (it takes back the addresses it wins) and
     * to {@code /readyz} answering 200 (polled every 250 ms by the lab).
     */
    private String restartSpeaker(LabSession lab) throws InterruptedException {
        Host node = lab.topology().node(1);
        LabProcess old = lab.speaker(node.name());
        old.terminate();
        old.waitFor(Duration.ofSeconds(10));
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        lab.startSpeaker(node);
        long ready = System.nanoTime();
        long deadline = ready + Duration.ofSeconds(10).toNanos();
        Long first = null;
        while (first == null && System.nanoTime() < deadline) {
            for (NeighbourAnswer a : lab.arpWatch().answers()) {
                if (a.atNanos() > t0 && a.mac().equalsIgnoreCase(node.mac())) {
                    first = a.atNanos();
                    break;
                }
            }
            Thread.sleep(50);
        }
        return String.format(Locale.ROOT, "{\"node\":\"%s\",\"start_to_first_announcement_ms\":%s,\"start_to_ready_ms\":%.0f}",
                node.name(), first == null ? "null" : String.format(Locale.ROOT, "%.0f", (first - t0) / 1e6), (ready - t0) / 1e6);
    }

    private static void parallel(List<String> names, Consumer<String> action) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        for (String n : names) {
            pool.submit(() -> action.accept(n));
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            pool.shutdownNow();
        }
    }

    private static synchronized void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Optional<Double> since(long from, Long to) {
        return to == null ? Optional.empty() : Optional.of((to - from) / 1e6);
    }

    private static void must(CommandResult r) {
        if (!r.succeeded()) {
            throw new IllegalStateException("lab setup failed: " + r);
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
