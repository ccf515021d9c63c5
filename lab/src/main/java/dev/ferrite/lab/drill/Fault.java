package dev.ferrite.lab.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The faults a drill can inject, named as on the command line ({@code --faults crash,drain}). */
public enum Fault {
    /** kill -9 the owner's speaker: the process is gone, its sockets close. */
    CRASH("crash", true, true, new SpeakerFaults.Crash()),
    /** The owner's link goes down: the node falls silent without closing anything. */
    LINK_DOWN("link-down", true, true, new NetworkFaults.LinkDown()),
    /** SIGTERM the owner's speaker: a planned move that should lose no probe. */
    DRAIN("drain", true, true, new SpeakerFaults.Drain()),
    /**
     * The owner's speaker replaced as a DaemonSet rolling update replaces it: SIGTERM, the
     * old process exits, a new one starts on the same node and takes its IPs back.
     */
    UPGRADE("upgrade", true, true, new SpeakerFaults.Upgrade()),
    /**
     * The owner's last local pod stops (a Local Service's owner loses its endpoint): the IP
     * must move to a node that has one. Needs {@code --etp local} or {@code mix}.
     */
    ENDPOINT_GONE("endpoint-gone", true, true, new EndpointGone()),
    /**
     * Nodes split into two groups that cannot reach each other; the client reaches both. The
     * owner's group holds half of the nodes, rounded down: with 3 nodes it is the minority
     * (1 | 2), with 2 or 4 nodes an even split (1 | 1, 2 | 2) that the tiebreak Lease decides.
     */
    PARTITION("partition", false, false, new NetworkFaults.Split()),
    /**
     * A host of the lab that is not a node (the control-plane host) takes the first Service's
     * IP on its own interface, so its kernel answers ARP for it: the owner must report the
     * foreign claim (a Warning Event on the Service) and keep the IP.
     */
    ROGUE("rogue", false, false, new RogueClaim()),
    /** kill -9 every speaker but one, a node that does not own the first Service: the survivor must take every IP. */
    MAJORITY_CRASH("majority-crash", true, true, new SpeakerFaults.MajorityCrash()),
    /**
     * The API server is stopped, then the owner's speaker crashes: failover must not need the
     * API. Stopped means frozen (SIGSTOP): the embedded server keeps its objects only in
     * memory, and a frozen server is also the harder case for clients (connections hang
     * rather than fail). It is thawed (SIGCONT) when the node is restored.
     */
    API_DOWN("api-down", true, true, new SpeakerFaults.ApiDown());

    private final String cliName;
    private final boolean movesOwner;
    private final boolean failsBack;
    private final FaultInjector injector;

    Fault(String cliName, boolean movesOwner, boolean failsBack, FaultInjector injector) {
        this.cliName = cliName;
        this.movesOwner = movesOwner;
        this.failsBack = failsBack;
        this.injector = injector;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether ownership is expected to leave the node the fault hit. */
    public boolean movesOwner() {
        return movesOwner;
    }

    /**
     * Whether healing gives the node its IPs back (a failback the drill measures as its own
     * row, {@code <fault>/failback}); a partition heals with the owner unchanged.
     */
    public boolean failsBack() {
        return failsBack;
    }

    public FaultInjector injector() {
        return injector;
    }

    /** The name of the row that measures the failback after this fault. */
    public String failbackName() {
        return cliName + "/failback";
    }

    public static Optional<Fault> byName(String name) {
        for (Fault f : values()) {
            if (f.cliName.equals(name.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Parses {@code crash,link-down}; an unknown name is an error naming it and the valid ones. */
    public static Parsed parseList(String csv) {
        List<Fault> faults = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Optional<Fault> f = byName(part);
            if (f.isEmpty()) {
                return new Parsed.Invalid("--faults: unknown fault \"" + part.trim() + "\"; valid: " + names());
            }
            if (!faults.contains(f.get())) {
                faults.add(f.get());
            }
        }
        if (faults.isEmpty()) {
            return new Parsed.Invalid("--faults: no fault given; valid: " + names());
        }
        return new Parsed.Valid(faults);
    }

    public static String names() {
        List<String> n = new ArrayList<>();
        for (Fault f : values()) {
            n.add(f.cliName);
        }
        return String.join(",", n);
    }

    /** Outcome of parsing a {@code --faults} list. */
    public sealed interface Parsed {
        record Valid(List<Fault> faults) implements Parsed {
            public Valid {
                faults = List.copyOf(faults);
            }
        }

        record Invalid(String message) implements Parsed {
        }
    }
}
