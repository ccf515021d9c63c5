package dev.ferrite.controller.reconcile;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.controller.allocation.AllocationResult;
import dev.ferrite.controller.allocation.Allocator;
import dev.ferrite.controller.allocation.ParsedService;
import dev.ferrite.controller.allocation.k8s.AddressesInUse;
import dev.ferrite.controller.allocation.k8s.ServiceRequestParser;
import dev.ferrite.controller.metrics.ControllerMetrics;
import dev.ferrite.controller.status.ConfigStatusWriter;
import dev.ferrite.controller.status.ConfigStatusWriter.PoolCounts;
import dev.ferrite.controller.status.ConfigStatusWriter.Validity;
import dev.ferrite.controller.status.EventRecorder;
import dev.ferrite.controller.status.EventRecorder.Type;
import dev.ferrite.controller.status.ServiceIngress;
import dev.ferrite.controller.status.ServiceStatusWriter;
import dev.ferrite.controller.status.StatusWriters;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service reconcile loop: one thread takes Service keys and configuration changes from
 * the {@link WorkQueue}, asks the allocator, and hands the outcome to the status writers and
 * the event recorder. Only this thread touches the allocator, so it needs no locks. The
 * queue, the informers and the writers are wired by the caller, which also closes them.
 *
 * <p>Order at start: wait until every informer has synced, parse the configuration, and
 * restore every allocation shown in Service status ({@code allocator.restore}), oldest
 * Service first, before a single new address is handed out. So a restart never moves an
 * IP. Until a valid configuration has been seen, nothing is allocated and nothing written
 * to Services.
 */
public final class ServiceReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceReconciler.class);
    private static final long POOL_STATUS_INTERVAL_MS = 250;

    private final Optional<String> lbClass;
    private final ControllerMetrics metrics;
    private final WorkQueue queue;
    private final ClusterInformers informers;
    private final ServiceStatusWriter serviceStatus;
    private final ConfigStatusWriter configStatus;
    private final EventRecorder events;
    private final Thread thread;

    private Allocator allocator;
    private Config inForce;
    private final Map<String, String> pendingReasons = new LinkedHashMap<>();
    /** MetalLB alias keys already warned about, per Service. */
    private final Map<String, Set<String>> aliasWarned = new HashMap<>();
    /** Last reason an already allocated Service's annotations were rejected for. */
    private final Map<String, String> rejectedWarned = new HashMap<>();
    private final Map<String, String> configProblems = new HashMap<>();
    /** The addresses speakers last reported in use outside the cluster (address → who found it). */
    private Map<IpAddress, String> inUse = Map.of();
    private boolean retryPending;
    private boolean poolsDirty;
    private long lastPoolPublish;

    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile long heartbeatNanos = System.nanoTime();

    /**
     * Starts the loop on {@code queue}, which {@code informers} feed.
     *
     * @param lbClass the {@code spec.loadBalancerClass} this controller serves; empty for class-less Services
     */
    public static ServiceReconciler start(WorkQueue queue, ClusterInformers informers, StatusWriters writers,
            Optional<String> lbClass, ControllerMetrics metrics) {
        ServiceReconciler r = new ServiceReconciler(queue, informers, writers, lbClass, metrics);
        r.thread.start();
        return r;
    }

    private ServiceReconciler(WorkQueue queue, ClusterInformers informers, StatusWriters writers,
            Optional<String> lbClass, ControllerMetrics metrics) {
        this.queue = queue;
        this.informers = informers;
        this.serviceStatus = writers.services();
        this.configStatus = writers.config();
        this.events = writers.events();
        this.lbClass = lbClass;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "ferrite-controller-reconcile");
        this.thread.setDaemon(true);
    }

    /** Informers synced and a valid configuration in force. */
    public boolean ready() {
        return ready;
    }

    /** The loop went round within the last {@code maxAgeMillis}. */
    public boolean alive(long maxAgeMillis) {
        return thread.isAlive() && System.nanoTime() - heartbeatNanos < TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    private void run() {
        try {
            while (running && !informers.synced()) {
                heartbeatNanos = System.nanoTime();
                Thread.sleep(20);
            }
            log.info("informers synced: {} services, {} pools, {} advertisements",
                    informers.serviceKeys().size(), informers.pools().size(), informers.advertisements().size());
            handle(new WorkQueue.Work.ConfigChanged());
            queue.addAll(informers.serviceKeys());
            while (running) {
                heartbeatNanos = System.nanoTime();
                Optional<WorkQueue.Work> work = queue.take(100);
                if (work.isPresent()) {
                    handle(work.get());
                }
                if (retryPending) {
                    retryPending = false;
                    queue.addAll(new ArrayList<>(pendingReasons.keySet()));
                }
                metrics.servicesPending(pendingReasons.size());
                publishPoolsIfDue(System.nanoTime() / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(WorkQueue.Work work) {
        try {
            if (work instanceof WorkQueue.Work.ServiceChanged s) {
                reconcile(s.key());
            } else if (work instanceof WorkQueue.Work.AddressesInUseChanged) {
                applyInUse();
            } else {
                applyConfig();
            }
        } catch (RuntimeException e) {
            log.error("reconciling {} failed, will retry", work, e);
            queue.later(work);
        }
    }

    // ---- configuration ----

    private void applyConfig() {
        List<IPAddressPool> pools = informers.pools();
        List<L2Advertisement> ads = informers.advertisements();
        ConfigResult result = ConfigParser.parse(pools, ads);
        Map<String, String> problems = new HashMap<>();
        boolean valid = result instanceof ConfigResult.Valid;
        if (result instanceof ConfigResult.Valid v) {
            install(v.config());
        } else {
            for (ConfigError e : ((ConfigResult.Invalid) result).errors()) {
                problems.merge(e.kind() + "/" + e.name(), e.message(), (a, b) -> a + "; " + b);
                log.warn("invalid configuration, keeping the last valid one: {}", e.message());
            }
        }
        for (IPAddressPool p : pools) {
            reportValidity(p, problems, valid);
        }
        for (L2Advertisement a : ads) {
            reportValidity(a, problems, valid);
        }
        configProblems.keySet().retainAll(problems.keySet());
        metrics.config(valid, !valid && allocator != null);
        poolsDirty = true;
    }

    private void install(Config config) {
        if (allocator == null) {
            allocator = new Allocator(config);
            // before restoring: a Service showing an address found in use gets another one
            allocator.setInUse(inUse);
            inForce = config;
            log.info("configuration loaded: {} pools, {} advertisements", config.pools().size(),
                    config.advertisements().size());
            restoreAll();
            queue.addAll(informers.serviceKeys());
        } else if (!config.equals(inForce)) {
            Set<String> moved = allocator.setConfig(config);
            inForce = config;
            log.info("configuration updated: {} pools, {} advertisements; {} services lost their address",
                    config.pools().size(), config.advertisements().size(), moved.size());
            for (String key : moved) {
                log.info("service {}: address no longer in any pool, released", key);
            }
            queue.addAll(moved);
        }
        retryPending = true;
        ready = true;
    }

    // ---- addresses in use outside the cluster ----

    /**
     * Takes the addresses speakers found in use from their ServiceL2Status objects: they are
     * not handed out, and a Service holding one is allocated again (an auto-assigned one
     * moves, one that requested it goes pending). An address no longer reported is free again.
     */
    private void applyInUse() {
        Map<IpAddress, String> now = AddressesInUse.from(informers.l2Statuses());
        if (now.equals(inUse)) {
            return;
        }
        for (Map.Entry<IpAddress, String> e : now.entrySet()) {
            if (!inUse.containsKey(e.getKey())) {
                log.warn("address {} is in use outside the cluster ({}): not handed out", e.getKey(), e.getValue());
            }
        }
        for (IpAddress ip : inUse.keySet()) {
            if (!now.containsKey(ip)) {
                log.info("address {} is free again", ip);
            }
        }
        inUse = Map.copyOf(now);
        if (allocator == null) {
            return;
        }
        for (String key : allocator.setInUse(now)) {
            Service svc = informers.service(key);
            if (svc != null) {
                List<String> taken = new ArrayList<>();
                for (IpAddress ip : ServiceIngress.addresses(svc)) {
                    if (now.containsKey(ip)) {
                        taken.add(ip + " (" + now.get(ip) + ")");
                    }
                }
                log.warn("service {}: address {} is in use outside the cluster, allocating again", key, taken);
                events.record(svc, Type.Warning, "AddressInUse", "Address " + String.join(", ", taken)
                        + " is in use by a host outside the cluster: an automatically assigned Service moves to"
                        + " another address, one that requested it stays pending until it is free");
            }
            queue.add(key);
        }
        retryPending = true;
        poolsDirty = true;
    }

    private void reportValidity(HasMetadata object, Map<String, String> problems, boolean configValid) {
        String name = object.getMetadata().getName();
        String objectKey = object.getKind() + "/" + name;
        String problem = problems.get(objectKey);
        Validity validity;
        if (problem != null) {
            validity = new Validity(false, problem);
            if (!problem.equals(configProblems.put(objectKey, problem))) {
                events.record(object, Type.Warning, ConfigStatusWriter.REASON_INVALID, problem);
            }
        } else if (configValid) {
            validity = Validity.VALID;
        } else {
            validity = new Validity(true, "this object is valid, but another one is not: the last valid configuration stays in force");
        }
        if (object instanceof IPAddressPool) {
            configStatus.pool(name, Optional.of(validity), Optional.empty());
        } else {
            configStatus.advertisement(name, validity);
        }
    }

    /** Takes over every address Services already show, before anything new is allocated. */
    private void restoreAll() {
        List<Service> all = new ArrayList<>(informers.services());
        all.sort(Comparator.comparing((Service s) -> String.valueOf(s.getMetadata().getCreationTimestamp()))
                .thenComparing(ServiceStatusWriter::keyOf));
        int kept = 0;
        int lost = 0;
        for (Service s : all) {
            if (!ServiceRequestParser.isLoadBalancer(s, lbClass)) {
                continue;
            }
            List<IpAddress> ips = ServiceIngress.addresses(s);
            if (ips.isEmpty()) {
                continue;
            }
            String key = ServiceStatusWriter.keyOf(s);
            ParsedService parsed = ServiceRequestParser.parse(s, informers.namespaceLabels(s.getMetadata().getNamespace()));
            if (!(parsed instanceof ParsedService.Request request)) {
                log.warn("service {}: cannot keep {}: {}", key, ips, ((ParsedService.Rejected) parsed).reason());
                lost++;
                continue;
            }
            AllocationResult restored = allocator.restore(request.request(), ips);
            if (restored instanceof AllocationResult.Pending p) {
                log.warn("service {}: cannot keep {}: {}; it will get a new address", key, ips, p.reason());
                lost++;
            } else {
                kept++;
            }
        }
        log.info("restored {} allocations from Service status, {} could not be kept", kept, lost);
    }

    // ---- services ----

    private void reconcile(String key) {
        Service svc = informers.service(key);
        if (svc == null) {
            if (allocator != null && allocator.release(key)) {
                log.info("service {} deleted, address released", key);
                released();
            }
            forget(key);
            return;
        }
        if (!ServiceRequestParser.isLoadBalancer(svc, lbClass)) {
            boolean held = allocator != null && allocator.release(key);
            if (held) {
                released();
            }
            pendingReasons.remove(key);
            if ((held || ServiceIngress.pool(svc).isPresent()) && !ServiceIngress.shows(svc, Optional.empty())) {
                if (serviceStatus.ensure(svc, Optional.empty())) {
                    log.info("service {} is no longer a LoadBalancer of this controller, address released", key);
                    events.record(svc, Type.Normal, "ClearAssignment",
                            "Service is no longer a LoadBalancer of class " + lbClass.orElse("(none)") + ": address released");
                }
            }
            return;
        }
        if (allocator == null) {
            pending(svc, key, "no valid IPAddressPool configuration has been loaded yet");
            return;
        }
        ParsedService parsed = ServiceRequestParser.parse(svc, informers.namespaceLabels(svc.getMetadata().getNamespace()));
        if (parsed instanceof ParsedService.Rejected r) {
            if (allocator.allocationOf(key).isPresent()) {
                // a typo in an annotation must not take a working address away
                if (!r.reason().equals(rejectedWarned.put(key, r.reason()))) {
                    events.record(svc, Type.Warning, "AllocationFailed", r.reason() + " (keeping the current address)");
                }
            } else {
                pending(svc, key, r.reason());
            }
            return;
        }
        rejectedWarned.remove(key);
        ParsedService.Request request = (ParsedService.Request) parsed;
        for (var alias : request.aliases()) {
            if (aliasWarned.computeIfAbsent(key, k -> new HashSet<>()).add(alias.usedKey())) {
                events.record(svc, Type.Warning, "DeprecatedAnnotation", alias.message());
            }
        }
        assign(svc, key, request);
    }

    private void assign(Service svc, String key, ParsedService.Request request) {
        Optional<AllocationResult.Allocated> before = allocator.allocationOf(key);
        AllocationResult result = allocator.assign(request.request());
        if (result instanceof AllocationResult.Allocated a) {
            pendingReasons.remove(key);
            boolean changed = before.isEmpty() || !before.get().equals(a);
            if (before.isPresent() && changed) {
                released();
            }
            serviceStatus.ensure(svc, Optional.of(a));
            if (changed) {
                poolsDirty = true;
                log.info("service {} got {} from pool {}", key, a.ips(), a.pool());
                events.record(svc, Type.Normal, "IPAllocated", "Assigned IP " + a.ips() + " from pool " + a.pool());
            }
            return;
        }
        AllocationResult.Pending p = (AllocationResult.Pending) result;
        if (before.isPresent()) {
            released();
        }
        if (!ServiceIngress.shows(svc, Optional.empty()) && serviceStatus.ensure(svc, Optional.empty())) {
            List<IpAddress> shown = ServiceIngress.addresses(svc);
            log.info("service {}: address {} withdrawn: {}", key, shown, p.reason());
            events.record(svc, Type.Normal, "ClearAssignment", "Address " + shown + " withdrawn: " + p.reason());
        }
        pending(svc, key, p.reason());
    }

    private void pending(Service svc, String key, String reason) {
        if (!reason.equals(pendingReasons.put(key, reason))) {
            log.info("service {} pending: {}", key, reason);
            events.record(svc, Type.Warning, "AllocationFailed", "Failed to allocate IP for " + key + ": " + reason);
        }
    }

    private void released() {
        retryPending = true;
        poolsDirty = true;
    }

    private void forget(String key) {
        pendingReasons.remove(key);
        serviceStatus.forget(key);
        aliasWarned.remove(key);
        rejectedWarned.remove(key);
    }

    // ---- pool status ----

    private void publishPoolsIfDue(long nowMillis) {
        if (!poolsDirty || allocator == null || nowMillis - lastPoolPublish < POOL_STATUS_INTERVAL_MS) {
            return;
        }
        poolsDirty = false;
        lastPoolPublish = nowMillis;
        Map<String, ControllerMetrics.PoolFigures> figures = new HashMap<>();
        for (String pool : inForce.pools().keySet()) {
            var u = allocator.usage(pool);
            java.util.SortedMap<String, String> taken = new java.util.TreeMap<>();
            allocator.inUse(pool).forEach((ip, why) -> taken.put(ip.toString(), why));
            configStatus.pool(pool, Optional.empty(), Optional.of(new PoolCounts(u.assignedV4(), saturate(u.availableV4()),
                    u.assignedV6(), saturate(u.availableV6()), taken)));
            figures.put(pool, new ControllerMetrics.PoolFigures(u.totalV4().add(u.totalV6()).doubleValue(),
                    (double) u.assignedV4() + u.assignedV6()));
        }
        metrics.pools(figures);
    }

    static long saturate(BigInteger n) {
        return n.bitLength() >= 64 ? Long.MAX_VALUE : n.longValueExact();
    }

    /** Stops the loop; the queue, the informers and the writers are the caller's to close. */
    @Override
    public void close() {
        running = false;
        ready = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
