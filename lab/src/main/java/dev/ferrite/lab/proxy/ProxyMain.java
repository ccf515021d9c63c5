package dev.ferrite.lab.proxy;

import dev.ferrite.api.KubeconfigFile;
import dev.ferrite.api.net.IpFamily;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kube-proxy stand-in on a lab node, a process in the node's namespace: watches Services
 * and EndpointSlices on the lab's API server and, after every change (coalesced over
 * {@value #COALESCE_MILLIS} ms, and at most one write every {@value #MIN_SYNC_MILLIS} ms or
 * {@value #WRITE_SPACING} times the writes' CPU time, up to {@value #MAX_SPACING_MILLIS} ms, as
 * kube-proxy's {@code --min-sync-period} bounds its syncs), writes the node's
 * {@link ProxyRules} with {@code nft -f -}, both families in one transaction: the whole table
 * first, then only what changed (a partial sync, as kube-proxy's nftables mode does). Prints
 * {@value #APPLIED} with the number of Service ports after each write. On exit (SIGTERM) it
 * deletes its tables, so no rule outlives it; the lab's namespaces go at teardown in any case.
 *
 * <p>Usage: {@code ProxyMain --node node1 --kubeconfig FILE [--mode nftables|ipvs]}
 */
public final class ProxyMain {
    public static final String APPLIED = "rules applied: service ports=";
    static final long COALESCE_MILLIS = 10;
    /**
     * A change after a quiet spell is written within {@value #COALESCE_MILLIS} ms; in a burst
     * the changes of this long go into one write. Each write is an {@code nft} process and a
     * walk of every Service: in a burst of 100 Services, writing every change after 10 ms cost
     * each stand-in half a CPU second on the lab's two cores. kube-proxy's own default is 1 s.
     */
    static final long MIN_SYNC_MILLIS = 100;
    /**
     * A write costs more the larger the table (each {@code nft} run reads the whole table
     * first: at 1,000 Services about 8 ms of CPU more than against an empty table on the lab's
     * machine, docs/benchmarks.md),
     * so in a burst writes are also spaced at least this many times their CPU time apart
     * ({@link WriteCost}): writing then takes at most about a tenth of a core. Never more than
     * {@value #MAX_SPACING_MILLIS} ms apart, kube-proxy's own default {@code --min-sync-period}.
     */
    static final long WRITE_SPACING = 10;
    static final long MAX_SPACING_MILLIS = 1000;

    private final String node;
    private final ProxyMode mode;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "proxy-writer"));
    private final AtomicBoolean pending = new AtomicBoolean();
    /** {@link System#nanoTime()} when the last write began (written by the writer thread). */
    private volatile long lastWriteNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_SYNC_MILLIS);
    /** The writes' CPU time (the writer thread's). */
    private final WriteCost cost = new WriteCost();
    /** The spacing it asks for, in ms (written by the writer thread). */
    private volatile long spacingMillis = MIN_SYNC_MILLIS;
    private final ClusterView.Reader reader = new ClusterView.Reader();
    /** What the table holds per family; empty until the first write, which writes it whole. */
    private final Map<IpFamily, Optional<Map<String, List<ProxyService>>>> written = new EnumMap<>(IpFamily.class);

    private ProxyMain(String node, ProxyMode mode, KubernetesClient client) {
        this.node = node;
        this.mode = mode;
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(onAnyChange());
        slices.addEventHandler(onAnyChange());
        written.put(IpFamily.IPv4, Optional.empty());
        written.put(IpFamily.IPv6, Optional.empty());
    }

    public static void main(String[] args) throws Exception {
        String node = null;
        Path kubeconfig = null;
        ProxyMode mode = ProxyMode.NFTABLES;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--node" -> node = args[i + 1];
                case "--kubeconfig" -> kubeconfig = Path.of(args[i + 1]);
                case "--mode" -> {
                    Optional<ProxyMode> m = ProxyMode.byName(args[i + 1]);
                    if (m.isEmpty()) {
                        fail("--mode \"" + args[i + 1] + "\": must be nftables or ipvs");
                    }
                    mode = m.get();
                }
                default -> fail("unknown argument \"" + args[i] + "\"");
            }
        }
        if (node == null || kubeconfig == null) {
            fail("--node and --kubeconfig are required");
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(KubeconfigFile.read(kubeconfig)).build();
        ProxyMain proxy = new ProxyMain(node, mode, client);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::removeTables, "proxy-stop"));
        proxy.services.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        proxy.slices.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        proxy.schedule();
        Thread.currentThread().join();
    }

    private <T> ResourceEventHandler<T> onAnyChange() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                schedule();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                schedule();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                schedule();
            }
        };
    }

    private void schedule() {
        if (pending.compareAndSet(false, true)) {
            long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWriteNanos);
            writer.schedule(this::write, Math.max(COALESCE_MILLIS, spacingMillis - sinceLast), TimeUnit.MILLISECONDS);
        }
    }

    private void write() {
        pending.set(false);
        lastWriteNanos = System.nanoTime();
        cost.begin();
        List<ProxyService> view = reader.services(services.getStore().list(), slices.getStore().list());
        StringBuilder script = new StringBuilder();
        Map<IpFamily, Optional<Map<String, List<ProxyService>>>> next = new EnumMap<>(IpFamily.class);
        for (IpFamily family : IpFamily.values()) {
            ProxyRules.Script s = ProxyRules.render(node, mode, family, view, written.get(family));
            script.append(s.text());
            next.put(family, Optional.of(s.written()));
        }
        if (script.isEmpty() || nft(script.toString())) {
            written.putAll(next);
            System.out.println(APPLIED + view.size());
        } else {
            // a failed transaction changes nothing, but the table may not be what was written
            // (changed by hand): the next try writes it whole, on the next change or in 500 ms
            written.replaceAll((family, w) -> Optional.empty());
            writer.schedule(this::schedule, 500, TimeUnit.MILLISECONDS);
        }
        cost.end();
        spacingMillis = Math.min(MAX_SPACING_MILLIS, Math.max(MIN_SYNC_MILLIS, Math.round(WRITE_SPACING * cost.averageMillis())));
        System.out.flush();
    }

    private void removeTables() {
        nft("delete table ip " + ProxyRules.TABLE + "\ndelete table ip6 " + ProxyRules.TABLE + "\n");
    }

    private static boolean nft(String script) {
        try {
            Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("nft failed: " + out.strip());
                return false;
            }
            return true;
        } catch (IOException e) {
            System.out.println("nft failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void fail(String message) {
        System.err.println("ProxyMain: " + message + "; usage: ProxyMain --node NAME --kubeconfig FILE [--mode nftables|ipvs]");
        System.exit(2);
    }
}
