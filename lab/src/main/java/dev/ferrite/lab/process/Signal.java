package dev.ferrite.lab.process;

/** The signals a drill sends to a lab process. */
public enum Signal {
    /** crash: no chance to clean up. */
    KILL,
    /** drain: the process shuts down gracefully. */
    TERM,
    /** freeze: the process stops running but keeps its sockets (a long GC pause, a hung node). */
    STOP,
    /** thaw a stopped process. */
    CONT
}
