package dev.ferrite.lab.netns;

/** Thrown by {@link LabStart#orThrow()} for callers that cannot go on without the lab (tests). */
public final class LabRefusedException extends IllegalStateException {
    public LabRefusedException(String message) {
        super(message);
    }
}
