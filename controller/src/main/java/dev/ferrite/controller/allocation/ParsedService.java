package dev.ferrite.controller.allocation;

import java.util.List;

/** Outcome of reading a Service object into a {@link ServiceRequest}. */
public sealed interface ParsedService {

    /**
     * The Service can be allocated. {@code aliases} lists the MetalLB annotation keys that
     * were honoured in place of Ferrite's, so the reconciler can warn with an Event.
     */
    record Request(ServiceRequest request, List<AliasUse> aliases) implements ParsedService {
        public Request {
            aliases = List.copyOf(aliases);
        }
    }

    /** The Service asks for something malformed; {@code reason} names the field and value. */
    record Rejected(String reason) implements ParsedService {
    }

    /** A MetalLB key such as {@code metallb.io/address-pool} read as {@code ferrite.dev/address-pool}. */
    record AliasUse(String usedKey, String ferriteKey) {
        /** The text of the Warning Event. */
        public String message() {
            return "annotation " + usedKey + " is read as " + ferriteKey + "; rename it, the MetalLB name is deprecated here";
        }
    }
}
