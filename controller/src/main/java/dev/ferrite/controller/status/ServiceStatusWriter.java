package dev.ferrite.controller.status;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.JsonString;
import dev.ferrite.controller.allocation.AllocationResult.Allocated;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a Service's ingress status and pool annotation to the allocation the allocator made
 * (or clears both when the Service has none), asynchronously. The status goes through
 * {@code updateStatus} (a PUT on /status carrying the resourceVersion; a 409 re-reads the
 * Service and retries, a few times); the annotation
 * through a JSON merge patch on metadata that touches only that one key. A Service that already
 * shows the allocation costs no request (see {@link ServiceIngress}), and one already on its way
 * is not sent twice while the informer cache catches up.
 */
public final class ServiceStatusWriter {

    private static final Logger log = LoggerFactory.getLogger(ServiceStatusWriter.class);
    private static final int MAX_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final WriteQueue queue;
    private final Consumer<String> writeFailed;
    /** Write last queued per Service key, until the cache shows it. */
    private final Map<String, Write> sent = new ConcurrentHashMap<>();

    /**
     * One queued write of {@code desired}; a queued write runs only while it is still the
     * latest for its Service (compared by identity: the same allocation queued again is a new write).
     */
    private record Write(Optional<Allocated> desired) {
    }

    /** {@code writeFailed} gets the key of a Service whose write failed for good (to try again later). */
    public ServiceStatusWriter(KubernetesClient client, WriteQueue queue, Consumer<String> writeFailed) {
        this.client = client;
        this.queue = queue;
        this.writeFailed = writeFailed;
    }

    /**
     * Makes {@code observed} (the cached Service) show {@code desired}, or nothing when it is
     * empty. Returns true when this call queued a write, false when the Service already shows
     * it or it is already on its way.
     */
    public boolean ensure(Service observed, Optional<Allocated> desired) {
        String key = keyOf(observed);
        if (ServiceIngress.shows(observed, desired)) {
            sent.remove(key);
            return false;
        }
        Write previous = sent.get(key);
        if (previous != null && previous.desired().equals(desired)) {
            return false;
        }
        Write write = new Write(desired);
        sent.put(key, write);
        queue.submit(key, WriteQueue.Priority.STATUS, () -> writeStatus(key, observed, write));
        return true;
    }

    /** Forgets a deleted Service. */
    public void forget(String key) {
        sent.remove(key);
    }

    /** {@code namespace/name}: the key of the Service in the informer's store and the work queue. */
    public static String keyOf(Service s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }

    private boolean superseded(String key, Write write) {
        return sent.get(key) != write;
    }

    private void writeStatus(String key, Service observed, Write write) {
        if (superseded(key, write)) {
            return;
        }
        Service current = observed;
        for (int attempt = 1; ; attempt++) {
            if (ServiceIngress.statusShows(current, write.desired())) {
                break;
            }
            try {
                current = client.services().inNamespace(current.getMetadata().getNamespace())
                        .resource(withIngress(current, write.desired())).updateStatus();
                break;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    sent.remove(key);
                    return;
                }
                if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
                    failed(key, write, "status", e);
                    return;
                }
                current = reread(current);
                if (current == null) {
                    sent.remove(key);
                    return;
                }
            }
        }
        Service afterStatus = current;
        queue.submit(key, WriteQueue.Priority.FOLLOW_UP, () -> writeAnnotation(key, afterStatus, write));
    }

    private void writeAnnotation(String key, Service current, Write write) {
        if (superseded(key, write) || ServiceIngress.annotationShows(current, write.desired())) {
            return;
        }
        Optional<Allocated> desired = write.desired();
        // setting: a merge patch; removing: a JSON Patch "remove" (the mock server keeps a
        // merge patch's null as a value instead of deleting the key)
        boolean remove = desired.isEmpty();
        try {
            client.services().inNamespace(current.getMetadata().getNamespace())
                    .withName(current.getMetadata().getName())
                    .patch(PatchContext.of(remove ? PatchType.JSON : PatchType.JSON_MERGE),
                            remove ? removeAnnotationPatch() : annotationPatch(desired.get().pool()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || (remove && e.getCode() == 422)) {
                // gone, or the annotation is gone already
                sent.remove(key);
                return;
            }
            failed(key, write, "annotation", e);
        }
    }

    private void failed(String key, Write write, String what, KubernetesClientException e) {
        log.warn("service {}: writing {} failed ({}), will retry: {}", key, what, e.getCode(), e.getMessage());
        sent.remove(key, write);
        writeFailed.accept(key);
    }

    private Service reread(Service s) {
        return client.services().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).get();
    }

    private static Service withIngress(Service s, Optional<Allocated> desired) {
        // a shallow copy: the cached object must not be changed in place
        Service copy = new Service(s.getApiVersion(), s.getKind(), s.getMetadata(), s.getSpec(), null);
        ServiceStatus status = s.getStatus() == null ? new ServiceStatus() : s.getStatus();
        LoadBalancerStatus lb = new LoadBalancerStatus(desired.map(Allocated::ips).orElse(List.of()).stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip.toString()).withIpMode(ServiceIngress.IP_MODE).build())
                .toList());
        copy.setStatus(new ServiceStatus(status.getConditions(), lb));
        return copy;
    }

    /**
     * JSON merge patch on metadata: it merges maps key by key, so it sets only the pool
     * annotation and leaves every other annotation alone.
     */
    static String annotationPatch(String pool) {
        String value = JsonString.quote(pool);
        return "{\"metadata\":{\"annotations\":{" + JsonString.quote(Annotations.IP_ALLOCATED_FROM_POOL) + ":" + value + "}}}";
    }

    static String removeAnnotationPatch() {
        String path = "/metadata/annotations/" + Annotations.IP_ALLOCATED_FROM_POOL.replace("~", "~0").replace("/", "~1");
        return "[{\"op\":\"remove\",\"path\":\"" + path + "\"}]";
    }
}
