package dev.ferrite.lab.netns;

import java.util.List;

/** Outcome of {@link LabNetwork#up(Topology)}: the lab is up, or it refused to touch anything. */
public sealed interface LabStart {

    record Up(LabNetwork network) implements LabStart {
    }

    /** Nothing was created; each reason names the object and what to do about it. */
    record Refused(List<String> reasons) implements LabStart {
        public Refused {
            reasons = List.copyOf(reasons);
        }

        public String message() {
            return "lab refused to start: " + String.join("; ", reasons);
        }
    }

    /** The network, or {@link LabRefusedException} carrying the refusal message. */
    default LabNetwork orThrow() {
        if (this instanceof Up up) {
            return up.network();
        }
        throw new LabRefusedException(((Refused) this).message());
    }
}
