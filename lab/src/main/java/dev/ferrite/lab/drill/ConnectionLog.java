package dev.ferrite.lab.drill;

import dev.ferrite.lab.probe.ConnectionEvent;
import dev.ferrite.lab.report.ConnectionOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every long-lived client connection's story as its {@link ConnectionEvent}s told it, and
 * what a fault did to them ({@link #outcome}). Bounded: ended connections are forgotten
 * after {@value #FORGET_AFTER_SECONDS} s, and each keeps only its newest gaps and answers.
 */
public final class ConnectionLog {
    /** An answer later than this after the one before makes a connection stalled. */
    public static final long STALL_MILLIS = 1000;
    static final long FORGET_AFTER_SECONDS = 600;
    static final int KEEP_PER_CONNECTION = 256;

    /** One answer change: from {@code t} on, {@code pod@node} answered. */
    private record Answer(long t, String who) {
    }

    private static final class Connection {
        final String vip;
        final long openedAt;
        long endedAt = Long.MAX_VALUE;
        String why = "";
        long lastAnswerAt;
        long lastSeenAt;
        final ArrayDeque<long[]> gaps = new ArrayDeque<>();
        final ArrayDeque<Answer> answers = new ArrayDeque<>();

        Connection(String vip, long openedAt) {
            this.vip = vip;
            this.openedAt = openedAt;
            this.lastAnswerAt = openedAt;
            this.lastSeenAt = openedAt;
        }
    }

    private final Map<String, Connection> byId = new HashMap<>();

    public synchronized void add(ConnectionEvent e) {
        Connection c = byId.get(e.connection());
        if (e.kind() == ConnectionEvent.Kind.OPEN || c == null) {
            c = new Connection(e.vip(), e.tNanos());
            byId.put(e.connection(), c);
        }
        c.lastSeenAt = Math.max(c.lastSeenAt, e.tNanos());
        c.lastAnswerAt = Math.max(c.lastAnswerAt, e.lastAnswerNanos());
        switch (e.kind()) {
            case ANSWER -> {
                c.answers.addLast(new Answer(e.tNanos(), e.pod().orElse("?") + "@" + e.node().orElse("?")));
                trim(c.answers);
            }
            case GAP -> {
                c.gaps.addLast(new long[] {e.lastAnswerNanos(), e.tNanos()});
                trim(c.gaps);
                c.lastAnswerAt = Math.max(c.lastAnswerAt, e.tNanos());
            }
            case END -> {
                c.endedAt = e.tNanos();
                c.why = e.why().orElse("reset");
            }
            default -> {
            }
        }
        if (e.kind() == ConnectionEvent.Kind.OPEN) {
            forgetOld(e.tNanos());
        }
    }

    private static void trim(ArrayDeque<?> q) {
        while (q.size() > KEEP_PER_CONNECTION) {
            q.removeFirst();
        }
    }

    private void forgetOld(long now) {
        Iterator<Connection> it = byId.values().iterator();
        while (it.hasNext()) {
            Connection c = it.next();
            if (c.endedAt != Long.MAX_VALUE && now - c.endedAt > FORGET_AFTER_SECONDS * 1_000_000_000L) {
                it.remove();
            }
        }
    }

    /** Whether {@code c} had been waiting longer than {@link #STALL_MILLIS} for an answer at {@code t}. */
    private static boolean stalledAt(Connection c, long t) {
        long limit = STALL_MILLIS * 1_000_000L;
        for (long[] g : c.gaps) {
            if (g[0] <= t && g[1] >= t) {
                return t - g[0] > limit;
            }
        }
        // waiting still (beats after the last answer), or ended waiting
        boolean waiting = c.lastSeenAt > c.lastAnswerAt || "stalled".equals(c.why);
        return waiting && c.lastAnswerAt <= t && t - c.lastAnswerAt > limit;
    }

    /**
     * Whether every VIP of {@code vips} has at least {@code perVip} open connections none of
     * which is waiting for an answer now (beats after its last answer): the state a fault
     * should start from, so that its figures are about connections that were working.
     */
    public synchronized boolean allAnswering(Set<String> vips, int perVip) {
        Map<String, Integer> healthy = new HashMap<>();
        for (Connection c : byId.values()) {
            if (c.endedAt != Long.MAX_VALUE || !vips.contains(c.vip)) {
                continue;
            }
            if (c.lastSeenAt > c.lastAnswerAt) {
                return false;
            }
            healthy.merge(c.vip, 1, Integer::sum);
        }
        return vips.stream().allMatch(v -> healthy.getOrDefault(v, 0) >= perVip);
    }

    /**
     * What happened between {@code from} (the fault, or the heal) and {@code to} to the
     * connections to {@code vips} open and answering at {@code from}.
     */
    public synchronized ConnectionOutcome outcome(Set<String> vips, long from, long to) {
        int total = 0;
        int survived = 0;
        int reset = 0;
        int closed = 0;
        int stalled = 0;
        long longest = 0;
        Map<String, Integer> before = new HashMap<>();
        Map<String, Integer> after = new HashMap<>();
        for (Connection c : new ArrayList<>(byId.values())) {
            if (!vips.contains(c.vip) || c.openedAt > from || c.endedAt < from || stalledAt(c, from)) {
                // a connection that was stalled already belongs to the fault that stalled it
                continue;
            }
            total++;
            long stall = 0;
            for (long[] g : c.gaps) {
                if (g[1] >= from && g[0] <= to) {
                    stall = Math.max(stall, g[1] - g[0]);
                }
            }
            if (c.endedAt > to && c.lastSeenAt > c.lastAnswerAt) {
                // waiting for an answer still: a stall that has not ended
                stall = Math.max(stall, Math.min(to, c.lastSeenAt) - Math.max(c.lastAnswerAt, from));
            }
            longest = Math.max(longest, stall);
            if (c.endedAt <= to) {
                switch (c.why) {
                    case "closed" -> closed++;
                    case "stalled" -> stalled++;
                    default -> reset++;
                }
            } else if (stall > STALL_MILLIS * 1_000_000L) {
                stalled++;
            } else {
                survived++;
            }
            whoAt(c, from).ifPresent(w -> before.merge(w, 1, Integer::sum));
            if (c.endedAt > to) {
                whoAt(c, to).ifPresent(w -> after.merge(w, 1, Integer::sum));
            }
        }
        return new ConnectionOutcome(total, survived, reset, closed, stalled, Math.round(longest / 1e6), before, after);
    }

    private static Optional<String> whoAt(Connection c, long t) {
        String who = null;
        for (Answer a : c.answers) {
            if (a.t() <= t) {
                who = a.who();
            }
        }
        return Optional.ofNullable(who);
    }

    /** Times of connection ends (reset, closed, given up) in [from, to], for the timeline's marks. */
    public synchronized List<long[]> endsWithin(Set<String> vips, long from, long to) {
        List<long[]> out = new ArrayList<>();
        for (Connection c : byId.values()) {
            if (vips.contains(c.vip) && c.endedAt >= from && c.endedAt <= to) {
                out.add(new long[] {c.endedAt});
            }
        }
        return out;
    }
}
