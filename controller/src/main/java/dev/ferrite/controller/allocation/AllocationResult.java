package dev.ferrite.controller.allocation;

import dev.ferrite.api.net.IpAddress;
import java.util.List;

/** Outcome of asking the allocator for a Service's addresses. */
public sealed interface AllocationResult {

    /** The Service holds {@code ips} (one per family, in the Service's family order) from {@code pool}. */
    record Allocated(String pool, List<IpAddress> ips) implements AllocationResult {
        public Allocated {
            ips = List.copyOf(ips);
        }
    }

    /** No address could be given; {@code reason} is shown to the operator in an Event. */
    record Pending(String reason) implements AllocationResult {
    }
}
