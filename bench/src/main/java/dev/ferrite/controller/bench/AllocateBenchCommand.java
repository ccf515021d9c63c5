package dev.ferrite.controller.bench;

import static dev.ferrite.bench.JsonFigures.round;
import static dev.ferrite.bench.JsonFigures.toJson;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.controller.Controller;
import dev.ferrite.controller.ControllerCommand;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.lab.apiserver.Kubeconfig;
import dev.ferrite.lab.process.CommandMain;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code allocate} benchmark: how fast the controller turns N new LoadBalancer Services into
 * allocated ones, against an embedded API server (fabric8's CRUD mock server), next to the
 * floor of the same run: a bare client writing the same N status updates with the same
 * number of writes in flight. The ratio of the two says how much the controller itself
 * costs on top of the API writes it cannot avoid.
 */
@Command(name = "allocate", mixinStandardHelpOptions = true,
        description = {"Benchmark: N LoadBalancer Services created against an embedded API server with the controller",
            "running in-process; reports time to all allocated, create->status latency, memory, and the",
            "floor (a bare client writing the same N status updates) with the ratio of the two; then the",
            "controller in a JVM of its own, as deployed, for its resident memory with N Services."})
public final class AllocateBenchCommand implements Callable<Integer> {

    private static final String NAMESPACE = "ferrite-system";
    private static final String SERVICE_NAMESPACE = "bench";
    private static final int WARM_UP_SERVICES = 1000;
    /**
     * The controller's JVM as deploy/controller.yaml runs it: {@code -XX:MaxRAMPercentage=75}
     * in a container limited to 512 MiB and one CPU, which {@code MaxRAM} and
     * {@code ActiveProcessorCount} stand for outside one.
     */
    static final List<String> CONTROLLER_PROCESS_JVM_OPTIONS = List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75",
            "-XX:ActiveProcessorCount=1");
    /** How long the controller process's pool annotations are waited for. */
    static final int ANNOTATIONS_BOUND_SECONDS = 300;

    @Option(names = "--services", paramLabel = "N", defaultValue = "1000", description = "Services to create (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--json", description = "Print only the JSON result.")
    boolean json;

    @Option(names = "--allocator-only", description = "Benchmark the pure allocator only (no API server).")
    boolean allocatorOnly;

    @Option(names = "--process-only", description = "Only the run of the controller in a JVM of its own (its memory).")
    boolean processOnly;

    @Option(names = "--write-concurrency", paramLabel = "N", defaultValue = "" + ControllerOptions.DEFAULT_WRITE_CONCURRENCY,
            description = "Writes in flight, for the controller and the floor alike (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "900", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** Held so the level sticks: the mock server logs every request at INFO through JUL. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) {
        System.exit(new CommandLine(new AllocateBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (allocatorOnly) {
            System.out.println(dev.ferrite.controller.allocation.AllocatorBenchmark.runJson(services));
            return 0;
        }
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("services", services);
        result.put("write_concurrency", concurrency);
        if (processOnly) {
            processRun(result);
            print(result);
            return 0;
        }
        // the first phase would otherwise pay for class loading and JIT compilation alone
        int measured = services;
        services = Math.min(measured, WARM_UP_SERVICES);
        progress("warm-up with %d services (not reported)", services);
        Map<String, Object> discard = new LinkedHashMap<>();
        floorRun(discard);
        controllerRun(discard);
        services = measured;

        floorRun(result);
        controllerRun(result);
        backlogRun(result);
        processRun(result);
        double floor = (double) result.get("floor_per_s");
        // The ratio compares like with like: N status writes to a server already holding N
        // Services, by a bare client (floor) and by the controller (backlog run), both timed
        // through the same watch. In the streaming run the benchmark's own creates share the
        // server and bound the pace.
        double backlog = (double) result.get("backlog_allocated_per_s");
        result.put("ratio", round(backlog / floor, 3));
        result.put("ratio_to_unobserved_floor", round(backlog / (double) result.get("floor_unobserved_per_s"), 3));
        result.put("streaming_ratio", round((double) result.get("allocated_per_s") / floor, 3));
        print(result);
        return 0;
    }

    private void print(Map<String, Object> result) {
        if (json) {
            System.out.println(toJson(result));
        } else {
            result.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-28s %s%n", k, v));
        }
    }

    private static KubernetesMockServer mockServer() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(IPAddressPool.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(L2Advertisement.class));
        return server;
    }

    private static Service service(int i) {
        return new ServiceBuilder().withNewMetadata().withNamespace(SERVICE_NAMESPACE).withName(String.format("svc-%06d", i))
                .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withProtocol("TCP").withPort(80).endPort()
                .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").endSpec().build();
    }

    private static void setUp(KubernetesClient client) {
        for (String ns : List.of(NAMESPACE, SERVICE_NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
    }

    private static void createPool(KubernetesClient client) {
        IPAddressPool pool = new IPAddressPool();
        pool.getMetadata().setName("bench");
        pool.getMetadata().setNamespace(NAMESPACE);
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(List.of("198.18.0.0/15"));
        pool.setSpec(spec);
        client.resources(IPAddressPool.class).inNamespace(NAMESPACE).resource(pool).create();
    }

    private ControllerOptions options() {
        return new ControllerOptions(NAMESPACE, java.util.Optional.empty(), -1, false, "bench",
                concurrency, dev.ferrite.controller.election.LeaseElection.Timing.DEFAULT);
    }

    /**
     * The backlog case: N LoadBalancer Services already wait (Ferrite installed into a busy
     * cluster) and the controller starts. Timed from start to the last address seen.
     */
    private void backlogRun(Map<String, Object> result) throws Exception {
        KubernetesMockServer server = mockServer();
        try (KubernetesClient bench = server.createClient(); KubernetesClient controllerClient = server.createClient()) {
            setUp(bench);
            createPool(bench);
            progress("backlog run: creating %d services (not timed)", services);
            parallel(services, i -> bench.services().inNamespace(SERVICE_NAMESPACE).resource(service(i)).create());
            IngressWatch allocated = IngressWatch.start(bench, s -> true);
            long start = System.nanoTime();
            Controller controller = Controller.start(options(), controllerClient);
            try {
                waitFor("controller ready", controller::ready);
                long ready = System.nanoTime();
                waitFor("backlog allocated", () -> allocated.seen() == services);
                double seconds = (allocated.lastNanos() - start) / 1e9;
                result.put("backlog_seconds_to_ready", round((ready - start) / 1e9, 3));
                result.put("backlog_seconds_to_all_allocated", round(seconds, 3));
                result.put("backlog_allocated_per_s", round(services / seconds, 1));
                progress("backlog run: %d allocated in %.2f s", services, seconds);
            } finally {
                allocated.close();
                controller.close();
            }
        } finally {
            stop(server);
        }
    }

    /**
     * The controller in a JVM of its own, as deploy/controller.yaml runs it
     * ({@link #CONTROLLER_PROCESS_JVM_OPTIONS}), against the same kind of server: N
     * LoadBalancer Services wait and it starts. Its resident memory once every address is
     * written, once the pool annotations that follow are written too (unless that takes longer
     * than {@link #ANNOTATIONS_BOUND_SECONDS}), and its peak. The other runs share one JVM with
     * the server and the benchmark's client, so their memory is not the controller's.
     */
    private void processRun(Map<String, Object> result) throws Exception {
        KubernetesMockServer server = mockServer();
        Path dir = Files.createTempDirectory("ferrite-bench-controller-");
        Process child = null;
        try (KubernetesClient bench = server.createClient()) {
            setUp(bench);
            createPool(bench);
            progress("controller process: creating %d services (not timed)", services);
            parallel(services, i -> bench.services().inNamespace(SERVICE_NAMESPACE).resource(service(i)).create());
            try (IngressWatch allocated = IngressWatch.start(bench, s -> true);
                 IngressWatch annotated = IngressWatch.start(bench, s -> s.getMetadata().getAnnotations() != null
                         && s.getMetadata().getAnnotations().containsKey(Annotations.IP_ALLOCATED_FROM_POOL))) {
                String url = server.url("/").toString().replaceAll("/$", "");
                Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), url, NAMESPACE);
                List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command().orElse("java"));
                command.addAll(CONTROLLER_PROCESS_JVM_OPTIONS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), CommandMain.mainClass(),
                        ControllerCommand.class.getName(), "--kubeconfig", kubeconfig.toString(), "--namespace", NAMESPACE,
                        "--leader-elect=false", "--metrics-port", "0"));
                Path log = dir.resolve("controller.log");
                long start = System.nanoTime();
                child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                Process controller = child;
                waitFor("the controller process to allocate", () -> allocated.seen() == services || !controller.isAlive());
                if (!controller.isAlive()) {
                    throw new IllegalStateException("the controller process exited with " + controller.exitValue() + "; its log: "
                            + Files.readString(log).lines().reduce((a, b) -> b).orElse(""));
                }
                result.put("controller_process_jvm_options", "\"" + String.join(" ", CONTROLLER_PROCESS_JVM_OPTIONS) + "\"");
                result.put("controller_process_seconds_to_all_allocated", round((allocated.lastNanos() - start) / 1e9, 3));
                result.put("controller_process_rss_mb_allocated", round(statusKb(controller.pid(), "VmRSS:") / 1024.0, 1));
                long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(timeoutSeconds, ANNOTATIONS_BOUND_SECONDS));
                while (annotated.seen() < services && controller.isAlive() && System.nanoTime() < bound) {
                    Thread.sleep(50);
                }
                boolean all = annotated.seen() == services;
                result.put("controller_process_seconds_to_all_annotated", all ? round((annotated.lastNanos() - start) / 1e9, 3) : null);
                result.put("controller_process_rss_mb_annotated", all ? round(statusKb(controller.pid(), "VmRSS:") / 1024.0, 1) : null);
                result.put("controller_process_peak_rss_mb", round(statusKb(controller.pid(), "VmHWM:") / 1024.0, 1));
                progress("controller process: %d allocated, %d annotated, resident %.0f MB (peak %.0f MB)", allocated.seen(),
                        annotated.seen(), statusKb(controller.pid(), "VmRSS:") / 1024.0, statusKb(controller.pid(), "VmHWM:") / 1024.0);
            }
        } finally {
            if (child != null) {
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            stop(server);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A watch on the benchmark's Services that counts those showing an address (and passing
     * {@code filter}), each once, and remembers when the last of them appeared.
     */
    private static final class IngressWatch implements AutoCloseable {
        private final java.util.Set<String> names = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
        private io.fabric8.kubernetes.client.Watch watch;

        static IngressWatch start(KubernetesClient client, java.util.function.Predicate<Service> filter) {
            IngressWatch w = new IngressWatch();
            w.watch = client.services().inNamespace(SERVICE_NAMESPACE).watch(new Watcher<Service>() {
                @Override
                public void eventReceived(Action action, Service s) {
                    if (hasIngress(s) && filter.test(s) && w.names.add(s.getMetadata().getName())) {
                        w.last.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            return w;
        }

        int seen() {
            return names.size();
        }

        long lastNanos() {
            return last.get();
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /** True once the Service shows an address in status.loadBalancer.ingress. */
    private static boolean hasIngress(Service s) {
        return s.getStatus() != null && s.getStatus().getLoadBalancer() != null
                && s.getStatus().getLoadBalancer().getIngress() != null
                && !s.getStatus().getLoadBalancer().getIngress().isEmpty();
    }

    /** Progress goes to stderr, so stdout stays pure JSON with --json. */
    private void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private void controllerRun(Map<String, Object> result) throws Exception {
        KubernetesMockServer server = mockServer();
        try (KubernetesClient bench = server.createClient(); KubernetesClient controllerClient = server.createClient()) {
            setUp(bench);
            createPool(bench);
            Controller controller = Controller.start(options(), controllerClient);
            try {
                waitFor("controller ready", controller::ready);
                long[] createdAt = new long[services];
                long[] allocatedAt = new long[services];
                Map<String, Integer> index = new ConcurrentHashMap<>();
                java.util.concurrent.atomic.AtomicInteger allocated = new java.util.concurrent.atomic.AtomicInteger();
                var watch = bench.services().inNamespace(SERVICE_NAMESPACE).watch(new Watcher<Service>() {
                    @Override
                    public void eventReceived(Action action, Service s) {
                        long now = System.nanoTime();
                        Integer i = index.get(s.getMetadata().getName());
                        if (i == null || !hasIngress(s)) {
                            return;
                        }
                        synchronized (allocatedAt) {
                            if (allocatedAt[i] == 0) {
                                allocatedAt[i] = now;
                                allocated.incrementAndGet();
                            }
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
                for (int i = 0; i < services; i++) {
                    index.put(String.format("svc-%06d", i), i);
                }
                progress("controller run: creating %d services", services);
                long start = System.nanoTime();
                parallel(services, i -> {
                    createdAt[i] = System.nanoTime();
                    bench.services().inNamespace(SERVICE_NAMESPACE).resource(service(i)).create();
                });
                long created = System.nanoTime();
                waitFor("all services allocated", () -> allocated.get() == services);
                long done = Arrays.stream(allocatedAt).max().orElse(start);
                waitFor("controller writes settled", () -> controller.writesOutstanding() == 0);
                long settled = System.nanoTime();
                watch.close();

                double seconds = (done - start) / 1e9;
                double[] latencies = new double[services];
                for (int i = 0; i < services; i++) {
                    latencies[i] = (allocatedAt[i] - createdAt[i]) / 1e6;
                }
                Arrays.sort(latencies);
                result.put("seconds_to_all_created", round((created - start) / 1e9, 3));
                result.put("seconds_to_all_allocated", round(seconds, 3));
                result.put("allocated_per_s", round(services / seconds, 1));
                result.put("seconds_to_annotations_and_events_written", round((settled - start) / 1e9, 3));
                result.put("p50_create_to_status_ms", round(percentile(latencies, 0.50), 1));
                result.put("p99_create_to_status_ms", round(percentile(latencies, 0.99), 1));
                Runtime rt = Runtime.getRuntime();
                result.put("heap_used_mb", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0, 1));
                result.put("rss_mb", round(rssKb() / 1024.0, 1));
                progress("controller run: %d allocated in %.2f s", services, seconds);
            } finally {
                controller.close();
            }
        } finally {
            stop(server);
        }
    }

    /**
     * The floor: a bare client writing N status updates to a server holding N Services, 8 in
     * flight, twice. First with nobody watching ({@code floor_unobserved_*}), then with the
     * same watch the controller runs are timed through ({@code floor_*}), timed until that
     * watch has seen every update. The mock server pushes each change to every watch before
     * it answers the write, so a watch costs about as much as the writes themselves; timing
     * both sides through the same watch keeps the benchmark's own observer out of the ratio.
     */
    private void floorRun(Map<String, Object> result) throws Exception {
        KubernetesMockServer server = mockServer();
        try (KubernetesClient client = server.createClient()) {
            setUp(client);
            progress("floor run: creating %d services (not timed)", services);
            Service[] created = new Service[services];
            long createStart = System.nanoTime();
            parallel(services, i -> created[i] = client.services().inNamespace(SERVICE_NAMESPACE).resource(service(i)).create());
            result.put("floor_create_seconds", round((System.nanoTime() - createStart) / 1e9, 3));

            progress("floor run: writing %d status updates, unobserved", services);
            long start = System.nanoTime();
            parallel(services, i -> created[i] = writeStatus(client, created[i], 0xC6120000L + i));
            double unobserved = (System.nanoTime() - start) / 1e9;
            result.put("floor_unobserved_seconds", round(unobserved, 3));
            result.put("floor_unobserved_per_s", round(services / unobserved, 1));

            progress("floor run: writing %d status updates, observed by a watch", services);
            IngressWatch seen = IngressWatch.start(client,
                    s -> s.getStatus().getLoadBalancer().getIngress().get(0).getIp().startsWith("198.19."));
            try {
                start = System.nanoTime();
                parallel(services, i -> writeStatus(client, created[i], 0xC6130000L + i));
                waitFor("floor updates seen", () -> seen.seen() == services);
            } finally {
                seen.close();
            }
            double seconds = (seen.lastNanos() - start) / 1e9;
            result.put("floor_seconds", round(seconds, 3));
            result.put("floor_per_s", round(services / seconds, 1));
            progress("floor run: %d status updates in %.2f s unobserved, %.2f s observed", services, unobserved, seconds);
        } finally {
            stop(server);
        }
    }

    /** Writes {@code ip} (an IPv4 address as a number) into the Service's ingress status. */
    private static Service writeStatus(KubernetesClient client, Service s, long ip) {
        String text = (ip >>> 24) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
        s.setStatus(new ServiceStatus(List.of(), new LoadBalancerStatus(List.of(
                new LoadBalancerIngressBuilder().withIp(text).withIpMode("VIP").build()))));
        return client.services().inNamespace(SERVICE_NAMESPACE).resource(s).updateStatus();
    }

    private static void stop(KubernetesMockServer server) {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // it waits a bounded time for lingering keep-alive connections; the figures are taken
            MOCK_LOG.fine("mock API server did not shut down cleanly: " + e.getMessage());
        }
    }

    /** Runs {@code task} for 0..n-1 on {@link #concurrency} threads. */
    private void parallel(int n, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(timeoutSeconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + timeoutSeconds + " s waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long rssKb() {
        return statusKb(ProcessHandle.current().pid(), "VmRSS:");
    }

    /** A kB figure of {@code /proc/PID/status}, or -1. */
    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
