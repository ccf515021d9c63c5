package dev.ferrite.lab.report;

import java.io.PrintStream;

/**
 * A one-line progress indicator on stderr, rewritten in place with a carriage return so a
 * long drill shows where it is without scrolling the terminal. When stderr is not a
 * terminal (CI logs) each update is printed on its own line instead.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean inPlace;
    private int lastLength;

    public ProgressLine(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    public static ProgressLine onStderr() {
        return new ProgressLine(System.err, System.console() != null);
    }

    /** e.g. {@code [ 7/15] crash run 2/3: injecting on node-2}; without a counter when {@code steps} is 0. */
    public synchronized void show(int step, int steps, String text) {
        String width = Integer.toString(steps);
        String line = steps <= 0 ? text : "[" + String.format("%" + width.length() + "d", step) + "/" + steps + "] " + text;
        if (inPlace) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the line so the next output starts on a fresh one. */
    public synchronized void finish() {
        if (inPlace && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
        out.flush();
    }
}
