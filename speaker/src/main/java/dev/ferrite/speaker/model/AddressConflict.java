package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.time.Instant;

/**
 * A host outside the cluster uses {@code ip}, one of a Service's IPs: found by the probe before
 * the first announcement ({@link Kind#IN_USE}: this node does not announce it) or seen claiming
 * an IP this node announces ({@link Kind#FOREIGN_CLAIM}). Reported on the Service's
 * ServiceL2Status, where the controller reads the first kind.
 */
public record AddressConflict(IpAddress ip, Kind kind, String mac, String how, String interfaceName, Instant since)
        implements Comparable<AddressConflict> {

    /** Which of the two situations; {@link #wire()} is how ServiceL2Status spells it. */
    public enum Kind {
        IN_USE("InUse"), FOREIGN_CLAIM("ForeignClaim");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    @Override
    public int compareTo(AddressConflict o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : kind.compareTo(o.kind);
    }
}
