package dev.ferrite.speaker.status;

import dev.ferrite.speaker.coalesce.CoalescingScheduler;
import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.k8s.KubeApi;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.status.StatusObjects.Stored;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors what this node announces into ServiceL2Status objects, one per announced Service,
 * and records a {@code nodeAssigned} Event when this node starts announcing a Service. Hosts
 * outside the cluster seen using a Service's IPs go to {@code status.conflicts} with a
 * condition per kind ({@value #ADDRESS_IN_USE}, {@value #FOREIGN_CLAIM}), and an IP newly found
 * in use gets a Warning Event {@code AddressInUse} on the Service. Runs
 * on its own thread: the ownership loop hands over the latest state and never waits for the
 * API. Bursts collapse into one write pass, which waits until the state has not changed for
 * {@link #QUIET} (at most {@link #MAX_HOLD} after the first change it carries): while Services
 * are being created by the hundred, the node's CPU and the API server go to announcing them,
 * and their status objects follow. A failed write is retried later.
 *
 * <p>A speaker that restarts (a crash, an upgrade) finds the objects its predecessor on this
 * node left. It lists them once and adopts them: one it announces with the same status is not
 * written again, one whose status differs is updated in place, and neither gets a new
 * {@code nodeAssigned} Event (the node announced the Service before the restart too).
 * Those it does not announce are deleted once {@link #LEFTOVER_GRACE} has passed since the
 * list (a restarted speaker takes a few seconds to announce again), so a restart with 1,000
 * Services costs no write for what did not change instead of a delete, a create and an update
 * each.
 *
 * <p>The objects go to the API as JSON written here ({@link StatusObjects}), and only their
 * metadata and status are read back: a speaker writes one per Service it announces.
 */
public final class StatusWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration MAX_HOLD = Duration.ofSeconds(2);
    /** How long objects left by a predecessor on this node may wait to be announced again before they are deleted. */
    public static final Duration LEFTOVER_GRACE = Duration.ofSeconds(30);
    /** Condition: an IP of the Service was found in use before announcing, and is not announced. */
    public static final String ADDRESS_IN_USE = "AddressInUse";
    /** Condition: a host outside the cluster claims an IP this node announces. */
    public static final String FOREIGN_CLAIM = "ForeignClaim";

    private final KubeApi api;
    private final String namespace;
    private final String node;
    private final ServiceEvents events;
    private final CoalescingScheduler scheduler;
    private final Duration leftoverGrace;
    private volatile Map<ServiceKey, ServiceAnnouncement> desired = Map.of();
    private volatile long changedAtNanos = System.nanoTime();
    private volatile boolean stopped;

    // Owned by the writer thread.
    private final Map<ServiceKey, ServiceAnnouncement> written = new HashMap<>();
    /** Objects of this node listed at start and not adopted yet, by name; null until listed. */
    private Map<String, Stored> leftovers;
    /** Each object written, as the API's last answer showed it (its metadata carries the resource version). */
    private final Map<String, Stored> stored = new HashMap<>();
    private long listedAtNanos;
    /** When the writer thread first saw a change it has not written yet; -1: none. */
    private long heldSinceNanos = -1;

    public StatusWriter(KubeApi api, String namespace, String node, ServiceEvents events) {
        this(api, namespace, node, events, LEFTOVER_GRACE);
    }

    StatusWriter(KubeApi api, String namespace, String node, ServiceEvents events, Duration leftoverGrace) {
        this.api = api;
        this.namespace = namespace;
        this.node = node;
        this.events = events;
        this.leftoverGrace = leftoverGrace;
        this.scheduler = new CoalescingScheduler("ferrite-status", this::writePass);
    }

    /** Replaces the desired state; returns at once. */
    public void submit(Map<ServiceKey, ServiceAnnouncement> announcements) {
        desired = Map.copyOf(announcements);
        changedAtNanos = System.nanoTime();
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!stopped) {
            scheduler.request(delay);
        }
    }

    private void writePass() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (heldSinceNanos < 0) {
            heldSinceNanos = now;
        }
        long quietFor = now - changedAtNanos;
        if (quietFor < QUIET.toNanos() && now - heldSinceNanos < MAX_HOLD.toNanos()) {
            schedule(Duration.ofNanos(QUIET.toNanos() - quietFor));
            return;
        }
        heldSinceNanos = -1;
        Map<ServiceKey, ServiceAnnouncement> want = desired;
        boolean failed = false;
        if (leftovers == null && !listLeftovers()) {
            schedule(RETRY);
            return;
        }
        for (ServiceAnnouncement a : want.values()) {
            ServiceAnnouncement before = written.get(a.service());
            if (a.equals(before)) {
                continue;
            }
            try {
                boolean adopted = write(a, before != null);
                written.put(a.service(), a);
                if (before == null && !adopted && !a.ips().isEmpty()) {
                    log.info("service {}: ServiceL2Status {}/{} written, ips {} on {}", a.service(), namespace,
                            StatusName.of(a.service(), node), a.ips(), a.interfaces());
                    events.nodeAssigned(a);
                }
                recordInUse(a, before);
            } catch (IOException e) {
                failed = true;
                stored.remove(StatusName.of(a.service(), node));
                log.warn("service {}: writing ServiceL2Status failed, retrying: {}", a.service(), e.getMessage());
            }
        }
        for (ServiceKey gone : List.copyOf(written.keySet())) {
            if (!want.containsKey(gone)) {
                try {
                    delete(gone);
                    written.remove(gone);
                } catch (IOException e) {
                    failed = true;
                    log.warn("service {}: deleting ServiceL2Status failed, retrying: {}", gone, e.getMessage());
                }
            }
        }
        failed |= !deleteLeftovers(want, false);
        if (failed) {
            schedule(RETRY);
        }
    }

    /** Records a ForeignClaim Warning Event on the writer thread; returns at once. */
    public void foreignClaim(ServiceAnnouncement a, ForeignClaim c) {
        if (stopped) {
            return;
        }
        scheduler.submit(() -> events.foreignClaim(a, c));
    }

    /** A Warning Event for each IP of {@code a} found in use that {@code before} did not show. */
    private void recordInUse(ServiceAnnouncement a, ServiceAnnouncement before) {
        for (AddressConflict c : a.conflicts()) {
            boolean known = before != null && before.conflicts().stream()
                    .anyMatch(b -> b.kind() == c.kind() && b.ip().equals(c.ip()) && b.mac().equals(c.mac()));
            if (c.kind() == AddressConflict.Kind.IN_USE && !known) {
                events.addressInUse(a, c);
            }
        }
    }

    /** Lists the objects of this node a predecessor left; false when the API did not answer. */
    private boolean listLeftovers() {
        try {
            String selector = URLEncoder.encode(StatusName.NODE_LABEL + "=" + StatusName.labelValue(node), StandardCharsets.UTF_8);
            Map<String, Stored> found = new HashMap<>();
            for (Stored s : items(api.getBody(StatusObjects.collection(namespace) + "?labelSelector=" + selector))) {
                found.put(s.name(), s);
            }
            leftovers = found;
            listedAtNanos = System.nanoTime();
            if (!found.isEmpty()) {
                log.info("{} ServiceL2Status objects of node {} left from an earlier run: adopting those it announces,"
                        + " deleting the others in {} s", found.size(), node, leftoverGrace.toSeconds());
                scheduler.requestAfter(leftoverGrace);
            }
            return true;
        } catch (IOException e) {
            log.warn("listing ServiceL2Status objects of node {} failed, retrying: {}", node, e.getMessage());
            return false;
        }
    }

    /**
     * Deletes the objects left from an earlier run that nothing announced within the grace (at
     * once when {@code now}); false when a delete failed (it is retried).
     */
    private boolean deleteLeftovers(Map<ServiceKey, ServiceAnnouncement> want, boolean now) {
        if (leftovers.isEmpty() || (!now && System.nanoTime() - listedAtNanos < leftoverGrace.toNanos())) {
            return true;
        }
        Set<String> wanted = new HashSet<>();
        want.keySet().forEach(k -> wanted.add(StatusName.of(k, node)));
        boolean ok = true;
        for (String name : List.copyOf(leftovers.keySet())) {
            if (wanted.contains(name)) {
                continue; // its write failed; the retry adopts it
            }
            try {
                deleteObject(name);
                leftovers.remove(name);
                log.info("ServiceL2Status {}/{} left from an earlier run deleted", namespace, name);
            } catch (IOException e) {
                ok = false;
                log.warn("deleting ServiceL2Status {}/{} left from an earlier run failed, retrying: {}", namespace, name,
                        e.getMessage());
            }
        }
        return ok;
    }

    /**
     * Brings this node's object for {@code a} to its status (nothing is written when an object
     * left from an earlier run already shows it); true when it was such an object. An object
     * this writer has not written yet is created without asking first whether it exists (in a
     * burst of new Services that is one request fewer each); one that exists after all (a create
     * whose status write failed) is read and updated. An object written before is updated with
     * the resource version of the API's last answer; one changed meanwhile (409) is read again.
     */
    private boolean write(ServiceAnnouncement a, boolean writtenBefore) throws IOException {
        String name = StatusName.of(a.service(), node);
        String status = StatusObjects.status(node, a);
        Stored current = leftovers.remove(name);
        boolean adopted = current != null;
        if (adopted && status.equals(current.status())) {
            stored.put(name, current);
            return true;
        }
        if (current == null) {
            current = stored.get(name);
        }
        if (current == null && !writtenBefore) {
            current = create(a, name);
        }
        if (current == null) {
            current = get(name);
        }
        if (current == null) {
            current = create(a, name);
        }
        if (current == null) {
            throw new IOException("ServiceL2Status " + namespace + "/" + name + " was found by a create but not by a read");
        }
        // a full status replace: a merge patch would merge the ips list on some servers
        for (int attempt = 1; ; attempt++) {
            KubeApi.Answer r = api.call("PUT", StatusObjects.object(namespace, name) + "/status",
                    StatusObjects.withStatus(current, status));
            if (r.code() == 200) {
                stored.put(name, read(r.body()));
                return adopted;
            }
            current = r.code() == 409 && attempt == 1 ? get(name) : null;
            if (current == null) {
                throw new KubeApi.ApiException(r.code(), "updating the status of " + name);
            }
        }
    }

    /**
     * Creates this node's object for {@code a}, without status (the API ignores a status on
     * create); null when it exists already.
     */
    private Stored create(ServiceAnnouncement a, String name) throws IOException {
        KubeApi.Answer r = api.call("POST", StatusObjects.collection(namespace),
                StatusObjects.created(namespace, name, node, a));
        if (r.code() == 409) {
            return null;
        }
        if (r.code() / 100 != 2) {
            throw new KubeApi.ApiException(r.code(), "creating " + name);
        }
        return read(r.body());
    }

    /** The object named {@code name} as stored, or null when there is none. */
    private Stored get(String name) throws IOException {
        Optional<String> body = api.getIfFound(StatusObjects.object(namespace, name));
        return body.isEmpty() ? null : read(body.get());
    }

    private void deleteObject(String name) throws IOException {
        stored.remove(name);
        api.delete(StatusObjects.object(namespace, name));
    }

    /** One object of an answer; an answer that is not one is a failed request. */
    private static Stored read(String body) throws IOException {
        try {
            return StatusObjects.read(body);
        } catch (JsonReader.JsonException e) {
            throw new IOException("the API's answer is not a ServiceL2Status: " + e.getMessage());
        }
    }

    private static List<Stored> items(String body) throws IOException {
        try {
            return StatusObjects.items(body);
        } catch (JsonReader.JsonException e) {
            throw new IOException("the API's answer is not a list of ServiceL2Status objects: " + e.getMessage());
        }
    }

    private void delete(ServiceKey service) throws IOException {
        String name = StatusName.of(service, node);
        deleteObject(name);
        log.info("service {}: ServiceL2Status {}/{} deleted, this node no longer announces it", service, namespace, name);
    }

    /**
     * Deletes every object this writer created or adopted, and the leftovers it did not adopt,
     * and stops; used on shutdown after the IPs were handed over. Bounded by {@code timeout} so
     * a dead API never blocks the exit.
     */
    public void deleteAllAndStop(Duration timeout) {
        desired = Map.of();
        try {
            scheduler.submit(() -> {
                for (ServiceKey k : List.copyOf(written.keySet())) {
                    try {
                        delete(k);
                        written.remove(k);
                    } catch (IOException e) {
                        log.warn("service {}: deleting ServiceL2Status on shutdown failed: {}", k, e.getMessage());
                    }
                }
                if (leftovers != null) {
                    deleteLeftovers(Map.of(), true);
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("deleting ServiceL2Status objects of node {} did not finish within {} ms", node, timeout.toMillis());
        }
        close();
    }

    @Override
    public void close() {
        stopped = true;
        scheduler.close();
    }
}
