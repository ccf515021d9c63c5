package dev.ferrite.controller.webhook;

/** The webhook's answer to one admission request. */
public sealed interface Verdict {

    record Allowed() implements Verdict {
    }

    /** {@code message} is what {@code kubectl} shows after "denied the request:". */
    record Denied(String message) implements Verdict {
    }
}
