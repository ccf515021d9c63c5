package dev.ferrite.speaker.election;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Outcome of electing the announcer of one service IP. */
public sealed interface ElectionResult {

    IpAddress ip();

    /**
     * {@code owner} announces {@code ip} for {@code services} on {@code interfaces} (the union of
     * the interfaces of the advertisements that cover it on the owner; empty means every
     * suitable interface of the owner). {@code garpRefresh} is the shortest {@code garpRefresh}
     * of those advertisements, empty when none sets one.
     */
    record Announcement(IpAddress ip, String owner, Set<String> interfaces, List<String> services,
            Optional<Duration> garpRefresh) implements ElectionResult {
        public Announcement {
            interfaces = Set.copyOf(interfaces);
            services = List.copyOf(services);
        }

        /** An announcement without a refresh period of its own (the speaker's applies). */
        public Announcement(IpAddress ip, String owner, Set<String> interfaces, List<String> services) {
            this(ip, owner, interfaces, services, Optional.empty());
        }
    }

    /** Nobody announces {@code ip}; {@code reason} says which rule left no candidate. */
    record NoOwner(IpAddress ip, String reason) implements ElectionResult {
    }
}
