package dev.ferrite.speaker.quorum;

import dev.ferrite.api.JsonString;
import dev.ferrite.speaker.coalesce.Repeating;
import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.k8s.KubeApi;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server as the witness of {@link QuorumRule}: every speaker renews a Lease of its own
 * ({@code ferrite-speaker-<node>}) at a low rate, reads all of them now and then (every second
 * while it misses members), and, when its view is an even split, contends for the one
 * {@code ferrite-tiebreak} Lease with an optimistic update, so exactly one side gets it.
 *
 * <p>API cost per node at steady state: one Lease update per renew interval (6 a minute with
 * the defaults) and one list of the Leases per quiet list interval (2 a minute). While the
 * node misses members: one list a second; during an even split, the holder also renews the
 * tiebreak once a second.
 *
 * <p>All API calls run on one thread of this class; {@link #state()} never blocks. The Leases
 * are read and written as JSON ({@link LeaseObject}): an update sends back what was read with
 * the fields the witness writes changed, conditional on the resource version read.
 */
public final class LeaseWitness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseWitness.class);
    public static final String LABEL = "ferrite.dev/witness";
    public static final String TIEBREAK = "ferrite-tiebreak";
    /** On a speaker's Lease: the MACs it announces with, so members' claims are told from foreign ones. */
    public static final String MACS = "ferrite.dev/macs";
    static final String PREFIX = "ferrite-speaker-";

    /**
     * @param renew          how often a speaker renews its own Lease
     * @param fence          a speaker that could not renew for this long stops announcing while
     *                       it misses members (shorter than {@code expiry})
     * @param expiry         a Lease unchanged for this long, on the reader's clock, is expired
     * @param listQuiet      how often Leases are read while the view is whole
     * @param listDegraded   how often while members are missing
     * @param tiebreakRenew  how often the tiebreak holder renews it
     * @param tiebreakFence  the holder's side stops when the tiebreak did not change for this long
     * @param tiebreakExpiry another side may take the tiebreak when it did not change for this long
     */
    public record Timing(Duration renew, Duration fence, Duration expiry, Duration listQuiet, Duration listDegraded,
            Duration tiebreakRenew, Duration tiebreakFence, Duration tiebreakExpiry) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(40), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(6));
    }

    /** What the rule needs from the witness at one moment. */
    public record State(Set<String> expected, boolean expectedFromApi, long reads, boolean ownLeaseFresh,
            QuorumInput.Witness witness) {
    }

    private final KubeApi api;
    private final String namespace;
    private final String node;
    private final Timing timing;
    private final LongSupplier clock;
    private final Runnable onChange;
    private final ScheduledExecutorService executor;

    // Guarded by this.
    private final LeaseObservations observations = new LeaseObservations();
    private final Map<String, String> leaseOwners = new HashMap<>();
    private Set<String> expected = Set.of();
    private boolean everRead;
    private long reads;
    private long lastRenewSent = Long.MIN_VALUE;
    private long lastListOk = Long.MIN_VALUE;
    private long lastListAttempt = Long.MIN_VALUE;
    private String lastError = "not read yet";
    private boolean lastCallFailed = true;
    private boolean degraded;
    private boolean evenSplit;
    private Optional<String> tiebreakHolder = Optional.empty();
    private long lastTiebreakRenewSent = Long.MIN_VALUE;
    private QuorumInput.Witness lastWitness;
    private LeaseObject own;
    /**
     * The MACs the other speakers' Leases listed, with when they were last listed. A speaker
     * that stops deletes its Lease; its MACs are remembered for {@link #MAC_MEMORY}, so its
     * return is not taken for a foreign host before the next list shows its new Lease.
     */
    private final Map<String, Long> memberMacs = new HashMap<>();
    static final Duration MAC_MEMORY = Duration.ofHours(1);
    /** How often the witness looks at what is due while the rule needs it ({@link #planTick}). */
    static final Duration TICK = Duration.ofMillis(200);
    /** How often it looks when all is well. */
    static final Duration QUIET_TICK = Duration.ofSeconds(1);
    private volatile java.util.function.Supplier<Set<String>> ownMacs = Set::of;
    private volatile Consumer<Set<String>> onMemberMacs = macs -> { };
    /** The member MACs {@link #onMemberMacs} was last told of (witness thread). */
    private Set<String> toldMemberMacs = Set.of();
    private LeaseObject tiebreak;

    public LeaseWitness(KubeApi api, String namespace, String node, Timing timing, LongSupplier nanoClock,
            Runnable onChange) {
        this.api = api;
        this.namespace = namespace;
        this.node = node;
        this.timing = timing;
        this.clock = nanoClock;
        this.onChange = onChange;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferrite-witness");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        executor.execute(this::renewOwn);
        executor.execute(this::list);
        planTick();
    }

    /**
     * The next look at what is due: soon ({@link #TICK}) while members are missing or the
     * tiebreak is in play, where the rule waits on these reads; once a second otherwise, when
     * only the renewal (every 10 s) and the quiet list (every 30 s) are due, so that a speaker
     * at rest is not woken five times a second for them.
     */
    private void planTick() {
        Repeating.start(executor, this::tick, () -> {
            synchronized (this) {
                boolean quiet = !degraded && !evenSplit && tiebreakHolder.filter(node::equals).isEmpty();
                return (quiet ? QUIET_TICK : TICK).toMillis();
            }
        });
    }

    /**
     * Tells {@code listener} the other members' MACs (lower case, those {@link #mayBeMemberMac}
     * accepts) after each list that changed them, on the witness thread.
     */
    public void onMemberMacs(Consumer<Set<String>> listener) {
        this.onMemberMacs = listener;
    }

    /** Lists the Leases soon, out of turn: a member joined and has just written its Lease. */
    public void memberJoined() {
        try {
            executor.execute(this::list);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the speaker is stopping
        }
    }

    /**
     * Tells the witness what the rule saw: {@code degraded} (members missing) makes it read
     * every second, {@code evenSplit} makes it contend for, or keep renewing, the tiebreak.
     */
    public void situation(boolean nowDegraded, boolean nowEvenSplit) {
        boolean readNow;
        boolean contendNow;
        synchronized (this) {
            readNow = nowDegraded && !degraded;
            contendNow = nowEvenSplit && !evenSplit;
            degraded = nowDegraded;
            evenSplit = nowEvenSplit;
        }
        if (readNow) {
            executor.execute(this::list);
        }
        if (contendNow) {
            executor.execute(this::contend);
        }
    }

    /** Where this node's MACs come from (the announcer's open interfaces); written on the own Lease. */
    public void ownMacs(java.util.function.Supplier<Set<String>> macs) {
        this.ownMacs = macs;
    }

    /**
     * Whether {@code mac} may belong to a member: it is listed in a speaker's Lease, or the
     * Leases have not been read yet, so nobody can tell (a speaker that has just started hears
     * the interim owner of its IPs before its first list).
     */
    public synchronized boolean mayBeMemberMac(String mac) {
        return !everRead || memberMacs.containsKey(mac.toLowerCase(java.util.Locale.ROOT));
    }

    public synchronized State state() {
        long now = clock.getAsLong();
        boolean fresh = lastRenewSent != Long.MIN_VALUE && now - lastRenewSent < timing.fence().toNanos();
        return new State(expected, everRead, reads, fresh, witness(now));
    }

    private QuorumInput.Witness witness(long now) {
        boolean readRecently = lastListOk != Long.MIN_VALUE && now - lastListOk < 2 * timing.listQuiet().toNanos();
        if (lastCallFailed || !readRecently) {
            return new QuorumInput.Unreachable(lastError);
        }
        Set<String> expired = new TreeSet<>();
        for (String name : observations.unchangedFor(timing.expiry().toNanos(), now)) {
            String owner = leaseOwners.get(name);
            if (owner != null) {
                expired.add(owner);
            }
        }
        return new QuorumInput.Read(expired, freshHolder(now));
    }

    private Optional<String> freshHolder(long now) {
        if (tiebreakHolder.isEmpty()) {
            return Optional.empty();
        }
        if (tiebreakHolder.get().equals(node)) {
            return lastTiebreakRenewSent != Long.MIN_VALUE && now - lastTiebreakRenewSent < timing.tiebreakFence().toNanos()
                    ? tiebreakHolder : Optional.empty();
        }
        // Another holder is fresh while we see it renew. One that stopped renewing is neither
        // ours to count on nor free to take until it expires (contend checks the expiry).
        if (observations.changedWithin(TIEBREAK, timing.tiebreakFence().toNanos(), now)) {
            return tiebreakHolder;
        }
        return observations.unchangedFor(TIEBREAK, timing.tiebreakExpiry().toNanos(), now)
                ? Optional.empty() : Optional.of(tiebreakHolder.get() + " (not renewing)");
    }

    private void tick() {
        try {
            long now = clock.getAsLong();
            boolean renewDue;
            boolean listDue;
            boolean tiebreakDue;
            boolean release;
            synchronized (this) {
                renewDue = lastRenewSent == Long.MIN_VALUE || now - lastRenewSent >= timing.renew().toNanos()
                        || (lastCallFailed && now - lastRenewSent >= timing.listDegraded().toNanos());
                Duration period = degraded ? timing.listDegraded() : timing.listQuiet();
                listDue = lastListAttempt == Long.MIN_VALUE || now - lastListAttempt >= period.toNanos();
                boolean mine = tiebreakHolder.filter(node::equals).isPresent();
                tiebreakDue = evenSplit && (mine
                        ? now - lastTiebreakRenewSent >= timing.tiebreakRenew().toNanos()
                        : listDue);
                release = !evenSplit && mine;
            }
            if (renewDue) {
                renewOwn();
            }
            if (listDue) {
                list();
            }
            if (tiebreakDue) {
                contend();
            }
            if (release) {
                release();
            }
            notifyIfChanged();
        } catch (RuntimeException e) {
            log.warn("witness of node {}: {}", node, e.toString());
        }
    }

    private void renewOwn() {
        long sent = clock.getAsLong();
        try {
            LeaseObject next;
            LeaseObject current = own != null ? own : get(PREFIX + node);
            if (current == null) {
                next = create(newLease(PREFIX + node, "speaker"));
            } else {
                next = update(current.withSpec("holderIdentity", JsonString.quote(node))
                        .withSpec("renewTime", LeaseObject.time(now()))
                        .withSpec("leaseDurationSeconds", Long.toString(timing.expiry().toSeconds()))
                        .withAnnotation(MACS, String.join(",", ownMacs.get())));
            }
            synchronized (this) {
                own = next;
                lastRenewSent = sent;
                succeeded();
            }
        } catch (IOException e) {
            synchronized (this) {
                own = null; // a conflict or a deleted Lease: read it again next time
                failed("renewing Lease " + namespace + "/" + PREFIX + node, e);
            }
        }
        notifyIfChanged();
    }

    private void list() {
        long at = clock.getAsLong();
        synchronized (this) {
            lastListAttempt = at;
        }
        try {
            List<LeaseObject> items = list(LABEL);
            Map<String, String> versions = new HashMap<>();
            Map<String, String> owners = new HashMap<>();
            Set<String> macs = new TreeSet<>();
            Optional<String> holder = Optional.empty();
            LeaseObject tb = null;
            Set<String> macsNow;
            for (LeaseObject l : items) {
                String name = l.name();
                if (name == null) {
                    continue;
                }
                versions.put(name, l.resourceVersion());
                if (TIEBREAK.equals(name)) {
                    tb = l;
                    holder = l.holder();
                } else if (name.startsWith(PREFIX)) {
                    owners.put(name, name.substring(PREFIX.length()));
                    String written = l.annotation(MACS);
                    if (written != null && !name.equals(PREFIX + node)) {
                        for (String m : written.split(",")) {
                            if (!m.isBlank()) {
                                macs.add(m.trim().toLowerCase(java.util.Locale.ROOT));
                            }
                        }
                    }
                }
            }
            long now = clock.getAsLong();
            synchronized (this) {
                observations.observeAll(versions, at);
                leaseOwners.clear();
                leaseOwners.putAll(owners);
                for (String m : macs) {
                    memberMacs.put(m, now);
                }
                memberMacs.values().removeIf(seen -> now - seen > MAC_MEMORY.toNanos());
                macsNow = Set.copyOf(memberMacs.keySet());
                Set<String> exp = new TreeSet<>();
                for (Map.Entry<String, String> e : owners.entrySet()) {
                    if (!observations.unchangedFor(e.getKey(), timing.expiry().toNanos(), now)) {
                        exp.add(e.getValue());
                    }
                }
                expected = Set.copyOf(exp);
                everRead = true;
                reads++;
                tiebreak = tb;
                tiebreakHolder = holder;
                lastListOk = at;
                succeeded();
            }
            if (!macsNow.equals(toldMemberMacs)) {
                toldMemberMacs = macsNow;
                onMemberMacs.accept(macsNow);
            }
        } catch (IOException e) {
            synchronized (this) {
                failed("listing witness Leases in " + namespace, e);
            }
        }
        notifyIfChanged();
    }

    /** Takes the tiebreak if it is free, ours, or expired; an optimistic update, so one side wins. */
    private void contend() {
        long sent = clock.getAsLong();
        try {
            LeaseObject current = get(TIEBREAK);
            LeaseObject next;
            if (current == null) {
                next = create(newLease(TIEBREAK, "tiebreak"));
            } else {
                Optional<String> holder = current.holder();
                boolean takeable;
                synchronized (this) {
                    observations.observe(TIEBREAK, current.resourceVersion(), sent);
                    takeable = holder.isEmpty() || holder.get().equals(node)
                            || observations.unchangedFor(TIEBREAK, timing.tiebreakExpiry().toNanos(), sent);
                    tiebreak = current;
                    tiebreakHolder = holder;
                    if (!takeable || !evenSplit) {
                        succeeded();
                    }
                }
                if (!takeable || !evenSplitNow()) {
                    notifyIfChanged();
                    return;
                }
                LeaseObject taken = current.withSpec("holderIdentity", JsonString.quote(node))
                        .withSpec("renewTime", LeaseObject.time(now()))
                        .withSpec("leaseDurationSeconds", Long.toString(timing.tiebreakExpiry().toSeconds()));
                if (holder.isEmpty() || !holder.get().equals(node)) {
                    taken = taken.withSpec("acquireTime", LeaseObject.time(now()));
                }
                next = update(taken);
            }
            synchronized (this) {
                boolean gained = tiebreakHolder.filter(node::equals).isEmpty();
                tiebreak = next;
                tiebreakHolder = Optional.of(node);
                lastTiebreakRenewSent = sent;
                observations.observe(TIEBREAK, next.resourceVersion(), clock.getAsLong());
                succeeded();
                if (gained) {
                    log.info("node {} holds the tiebreak Lease {}/{}: its side announces during the even split",
                            node, namespace, TIEBREAK);
                }
            }
        } catch (IOException e) {
            boolean lost = e instanceof KubeApi.ApiException a && a.code() == 409;
            synchronized (this) {
                if (lost) {
                    succeeded();
                    log.info("node {} lost the race for the tiebreak Lease", node);
                } else {
                    failed("contending for Lease " + namespace + "/" + TIEBREAK, e);
                }
            }
            if (lost) {
                // Somebody else updated it first: read who now, not at the next list, so that a
                // node whose side lost stops announcing at once and one whose side won knows it
                readTiebreak();
            }
        }
        notifyIfChanged();
    }

    /** Reads the tiebreak Lease alone; a failure leaves what is known to the next list. */
    private void readTiebreak() {
        long sent = clock.getAsLong();
        try {
            LeaseObject current = get(TIEBREAK);
            synchronized (this) {
                if (current != null) {
                    // the race was lost to this write: its holder is alive, even if it is the first version seen
                    observations.observeWritten(TIEBREAK, current.resourceVersion(), sent);
                }
                tiebreak = current;
                tiebreakHolder = current == null ? Optional.empty() : current.holder();
            }
        } catch (IOException e) {
            log.debug("node {}: reading Lease {}/{} after losing the race failed: {}", node, namespace, TIEBREAK, e.getMessage());
        }
    }

    private synchronized boolean evenSplitNow() {
        return evenSplit;
    }

    private void release() {
        try {
            LeaseObject current = tiebreak;
            if (current == null || current.holder().filter(node::equals).isEmpty()) {
                return;
            }
            LeaseObject next = update(current.withSpec("holderIdentity", null));
            synchronized (this) {
                tiebreak = next;
                tiebreakHolder = Optional.empty();
                succeeded();
            }
            log.info("node {} released the tiebreak Lease: no even split any more", node);
        } catch (IOException e) {
            synchronized (this) {
                tiebreak = null;
                tiebreakHolder = Optional.empty();
                failed("releasing Lease " + namespace + "/" + TIEBREAK, e);
            }
        }
    }

    /** Deletes this node's own Lease (graceful stop), so nobody waits for it to expire. */
    public void deleteOwn() {
        try {
            executor.submit(() -> {
                try {
                    api.delete(LeaseObject.collection(namespace) + "/" + PREFIX + node);
                    if (tiebreakHolder.filter(node::equals).isPresent()) {
                        release();
                    }
                } catch (IOException e) {
                    log.warn("node {}: could not delete Lease {}/{}{}: {}", node, namespace, PREFIX, node, e.getMessage());
                }
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("node {}: deleting its witness Lease did not finish: {}", node, e.toString());
        }
    }

    private void succeeded() {
        lastCallFailed = false;
    }

    private void failed(String what, IOException e) {
        boolean first = !lastCallFailed;
        lastCallFailed = true;
        lastError = what + ": " + e.getMessage();
        if (first) {
            log.warn("witness of node {}: {}", node, lastError);
        }
    }

    private void notifyIfChanged() {
        QuorumInput.Witness now;
        synchronized (this) {
            now = witness(clock.getAsLong());
            if (now.equals(lastWitness)) {
                return;
            }
            lastWitness = now;
        }
        onChange.run();
    }

    private LeaseObject newLease(String name, String kind) {
        Map<String, String> spec = new HashMap<>();
        spec.put("holderIdentity", JsonString.quote(node));
        spec.put("acquireTime", LeaseObject.time(now()));
        spec.put("renewTime", LeaseObject.time(now()));
        spec.put("leaseDurationSeconds",
                Long.toString((TIEBREAK.equals(name) ? timing.tiebreakExpiry() : timing.expiry()).toSeconds()));
        return LeaseObject.create(name, namespace, Map.of(LABEL, kind, "app.kubernetes.io/name", "ferrite"),
                Map.of(MACS, TIEBREAK.equals(name) ? "" : String.join(",", ownMacs.get())), spec);
    }

    // ---- the API, on the witness thread ----

    /** The Lease {@code name}, or null when there is none. */
    private LeaseObject get(String name) throws IOException {
        Optional<String> body = api.getIfFound(LeaseObject.collection(namespace) + "/" + name);
        return body.isEmpty() ? null : parse(body.get(), "reading Lease " + name);
    }

    /** Creates {@code lease}; a Lease of its name that exists already is an ApiException with 409. */
    private LeaseObject create(LeaseObject lease) throws IOException {
        return answered(api.call("POST", LeaseObject.collection(namespace), lease.json()), 201, "creating Lease " + lease.name());
    }

    /** Replaces {@code lease} if it is still at the version read (else an ApiException with 409). */
    private LeaseObject update(LeaseObject lease) throws IOException {
        return answered(api.call("PUT", LeaseObject.collection(namespace) + "/" + lease.name(), lease.json()), 200,
                "updating Lease " + lease.name());
    }

    private List<LeaseObject> list(String label) throws IOException {
        String body = api.getBody(LeaseObject.collection(namespace) + "?labelSelector="
                + URLEncoder.encode(label, StandardCharsets.UTF_8));
        try {
            return LeaseObject.items(body);
        } catch (JsonReader.JsonException e) {
            throw new IOException("the list of Leases is not JSON: " + e.getMessage());
        }
    }

    /** The Lease in {@code r} when its code is {@code expected} (or 200), else an ApiException with the code. */
    private static LeaseObject answered(KubeApi.Answer r, int expected, String what) throws IOException {
        if (r.code() != expected && r.code() != 200) {
            throw new KubeApi.ApiException(r.code(), what);
        }
        return parse(r.body(), what);
    }

    private static LeaseObject parse(String body, String what) throws IOException {
        try {
            return LeaseObject.read(body);
        } catch (JsonReader.JsonException e) {
            throw new IOException(what + ": the answer is not JSON: " + e.getMessage());
        }
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
