package dev.ferrite.controller.status;

import dev.ferrite.api.v1beta1.AddressInUseInfo;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolStatus;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the status of IPAddressPools (address counts, addresses in use outside the cluster
 * and the {@code Valid} condition) and
 * L2Advertisements (the {@code Valid} condition). Only the latest desired status of an object
 * is kept: while a write is queued, newer counts replace older ones, so 10,000 allocations in
 * a burst cost a handful of pool writes, not 10,000. An object already showing what is
 * desired costs no request.
 */
public final class ConfigStatusWriter {

    /**
     * Counts for a pool's status, saturated at Long.MAX_VALUE, and the pool's addresses in use
     * outside the cluster (address → who found it).
     */
    public record PoolCounts(long assignedIPv4, long availableIPv4, long assignedIPv6, long availableIPv6,
            java.util.SortedMap<String, String> addressesInUse) {
        public PoolCounts {
            addressesInUse = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(addressesInUse));
        }

        public PoolCounts(long assignedIPv4, long availableIPv4, long assignedIPv6, long availableIPv6) {
            this(assignedIPv4, availableIPv4, assignedIPv6, availableIPv6, new java.util.TreeMap<>());
        }
    }

    /** The {@code Valid} condition: valid, or the problem found in the object. */
    public record Validity(boolean valid, String message) {
        public static final Validity VALID = new Validity(true, "part of the configuration in force");
    }

    public static final String CONDITION_TYPE = "Valid";
    public static final String REASON_INVALID = "InvalidConfiguration";
    public static final String REASON_VALID = "Valid";

    private static final Logger log = LoggerFactory.getLogger(ConfigStatusWriter.class);
    private static final int MAX_ATTEMPTS = 5;

    private record Desired(Optional<Validity> validity, Optional<PoolCounts> counts) {
    }

    private final KubernetesClient client;
    private final WriteQueue queue;
    private final Clock clock;
    private final String namespace;
    private final Map<String, Desired> desired = new ConcurrentHashMap<>();
    private final Map<String, Boolean> queued = new ConcurrentHashMap<>();

    public ConfigStatusWriter(KubernetesClient client, WriteQueue queue, Clock clock, String namespace) {
        this.client = client;
        this.queue = queue;
        this.clock = clock;
        this.namespace = namespace;
    }

    public void pool(String name, Optional<Validity> validity, Optional<PoolCounts> counts) {
        submit("IPAddressPool/" + name, new Desired(validity, counts),
                () -> write(IPAddressPool.class, name, "IPAddressPool/" + name, IPAddressPoolStatus::new,
                        this::applyPool));
    }

    public void advertisement(String name, Validity validity) {
        submit("L2Advertisement/" + name, new Desired(Optional.of(validity), Optional.empty()),
                () -> write(L2Advertisement.class, name, "L2Advertisement/" + name, L2AdvertisementStatus::new,
                        this::applyAdvertisement));
    }

    private void submit(String key, Desired d, Runnable write) {
        Desired previous = desired.get(key);
        // a pool's validity and its counts are set from different places; keep what the other left
        Desired merged = new Desired(d.validity().or(() -> previous == null ? Optional.empty() : previous.validity()),
                d.counts().or(() -> previous == null ? Optional.empty() : previous.counts()));
        desired.put(key, merged);
        if (queued.putIfAbsent(key, Boolean.TRUE) == null) {
            queue.submit(key, WriteQueue.Priority.FOLLOW_UP, () -> {
                queued.remove(key);
                write.run();
            });
        }
    }

    private interface Apply<S> {
        /** Returns the status to write, or empty when {@code current} already matches. */
        Optional<S> apply(S current, Desired d);
    }

    private <S, T extends CustomResource<?, S>> void write(Class<T> type, String name, String key,
            java.util.function.Supplier<S> empty, Apply<S> apply) {
        Desired d = desired.get(key);
        if (d == null) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            T current = client.resources(type).inNamespace(namespace).withName(name).get();
            if (current == null) {
                return;
            }
            S status = current.getStatus() == null ? empty.get() : current.getStatus();
            Optional<S> next = apply.apply(status, d);
            if (next.isEmpty()) {
                return;
            }
            current.setStatus(next.get());
            try {
                client.resources(type).inNamespace(namespace).resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
                    log.warn("{} {}: status not written ({}): {}", type.getSimpleName(), name, e.getCode(), e.getMessage());
                    return;
                }
            }
        }
    }

    private Optional<IPAddressPoolStatus> applyPool(IPAddressPoolStatus current, Desired d) {
        IPAddressPoolStatus next = new IPAddressPoolStatus();
        next.setConditions(conditions(current.getConditions(), d.validity()));
        PoolCounts c = d.counts().orElse(null);
        next.setAssignedIPv4(c == null ? current.getAssignedIPv4() : Long.valueOf(c.assignedIPv4()));
        next.setAvailableIPv4(c == null ? current.getAvailableIPv4() : Long.valueOf(c.availableIPv4()));
        next.setAssignedIPv6(c == null ? current.getAssignedIPv6() : Long.valueOf(c.assignedIPv6()));
        next.setAvailableIPv6(c == null ? current.getAvailableIPv6() : Long.valueOf(c.availableIPv6()));
        if (c == null) {
            next.setAddressesInUse(current.getAddressesInUse());
        } else if (!c.addressesInUse().isEmpty()) {
            List<AddressInUseInfo> inUse = new ArrayList<>();
            c.addressesInUse().forEach((ip, why) -> inUse.add(new AddressInUseInfo(ip, why)));
            next.setAddressesInUse(inUse);
        }
        boolean same = Objects.equals(next.getConditions(), current.getConditions())
                && Objects.equals(next.getAssignedIPv4(), current.getAssignedIPv4())
                && Objects.equals(next.getAvailableIPv4(), current.getAvailableIPv4())
                && Objects.equals(next.getAssignedIPv6(), current.getAssignedIPv6())
                && Objects.equals(next.getAvailableIPv6(), current.getAvailableIPv6())
                && Objects.equals(inUseText(next.getAddressesInUse()), inUseText(current.getAddressesInUse()));
        return same ? Optional.empty() : Optional.of(next);
    }

    private static List<String> inUseText(List<AddressInUseInfo> list) {
        return list == null ? List.of() : list.stream().map(a -> a.getIp() + " " + a.getReason()).toList();
    }

    private Optional<L2AdvertisementStatus> applyAdvertisement(L2AdvertisementStatus current, Desired d) {
        L2AdvertisementStatus next = new L2AdvertisementStatus();
        next.setConditions(conditions(current.getConditions(), d.validity()));
        return Objects.equals(next.getConditions(), current.getConditions()) ? Optional.empty() : Optional.of(next);
    }

    /** Replaces the Valid condition, keeping its transition time when the status did not flip. */
    private List<Condition> conditions(List<Condition> current, Optional<Validity> validity) {
        List<Condition> out = new ArrayList<>(current == null ? List.of() : current);
        if (validity.isEmpty()) {
            return out;
        }
        Validity v = validity.get();
        String status = v.valid() ? "True" : "False";
        String reason = v.valid() ? REASON_VALID : REASON_INVALID;
        Condition old = out.stream().filter(c -> CONDITION_TYPE.equals(c.getType())).findFirst().orElse(null);
        if (old != null && status.equals(old.getStatus()) && reason.equals(old.getReason())
                && v.message().equals(old.getMessage())) {
            return out;
        }
        String since = old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Condition c = new ConditionBuilder().withType(CONDITION_TYPE).withStatus(status).withReason(reason)
                .withMessage(v.message()).withLastTransitionTime(since).build();
        out.removeIf(x -> CONDITION_TYPE.equals(x.getType()));
        out.add(c);
        return out;
    }
}
