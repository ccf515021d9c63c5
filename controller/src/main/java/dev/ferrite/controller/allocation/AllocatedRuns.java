package dev.ferrite.controller.allocation;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The held addresses of one pool range, kept as merged runs {@code start → end} in a TreeMap,
 * so that the lowest free address is found with one {@code floorKey} and holding or
 * freeing an address costs O(log runs). Keys rather than entries are looked up because
 * TreeMap copies every entry it hands out, and this runs once per allocation. Memory grows with the number of held addresses
 * (at worst one run each), never with the size of the range: a /64 costs what a /29 costs.
 *
 * <p>Invariant: every address inside a run is either held or skipped (an IPv4 {@code .0}
 * or {@code .255} in a pool with {@code avoidBuggyIPs}); a run starts and ends on a held
 * address; two runs are merged whenever only skipped addresses lie between them. So the
 * first address after a run that is not skipped is always free.
 */
final class AllocatedRuns {

    private final IpRange range;
    private final boolean avoidBuggyIPs;
    private final TreeMap<IpAddress, IpAddress> runs = new TreeMap<>();

    AllocatedRuns(IpRange range, boolean avoidBuggyIPs) {
        this.range = range;
        this.avoidBuggyIPs = avoidBuggyIPs;
    }

    IpRange range() {
        return range;
    }

    int runCount() {
        return runs.size();
    }

    /** Whether the pool never hands out {@code a} on its own (avoidBuggyIPs: IPv4 .0 and .255). */
    boolean skipped(IpAddress a) {
        return avoidBuggyIPs && isBuggy(a);
    }

    static boolean isBuggy(IpAddress a) {
        long last = a.lo() & 0xFF;
        return a.family() == IpFamily.IPv4 && (last == 0 || last == 0xFF);
    }

    /** The lowest address of the range that is neither held nor skipped. */
    Optional<IpAddress> firstFree() {
        Optional<IpAddress> candidate = firstUsableFrom(range.first());
        // The invariant ends this loop after at most two turns; each turn moves forward, so
        // even a broken invariant would cost time, never a wrong answer.
        while (candidate.isPresent()) {
            IpAddress c = candidate.get();
            IpAddress end = endOfRunAtOrBelow(c);
            if (end == null || end.compareTo(c) < 0) {
                return candidate;
            }
            candidate = end.next().flatMap(this::firstUsableFrom);
        }
        return Optional.empty();
    }

    /** Marks {@code a} held. The caller adds each address once, when its first holder comes. */
    void add(IpAddress a) {
        IpAddress belowStart = runs.floorKey(a);
        IpAddress belowEnd = belowStart == null ? null : runs.get(belowStart);
        if (belowEnd != null && belowEnd.compareTo(a) >= 0) {
            return; // a skipped address inside a run: already covered
        }
        IpAddress start = a;
        IpAddress end = a;
        if (belowEnd != null && onlySkippedBetween(belowEnd, a)) {
            start = belowStart;
        }
        IpAddress aboveStart = runs.higherKey(a);
        if (aboveStart != null && onlySkippedBetween(a, aboveStart)) {
            end = runs.remove(aboveStart);
        }
        runs.put(start, end);
    }

    /** Marks {@code a} free. {@code held} tells which other addresses are still held. */
    void remove(IpAddress a, Predicate<IpAddress> held) {
        IpAddress start = runs.floorKey(a);
        IpAddress end = start == null ? null : runs.get(start);
        if (end == null || end.compareTo(a) < 0) {
            return;
        }
        runs.remove(start);
        IpAddress leftEnd = null;
        if (a.compareTo(start) > 0) {
            leftEnd = a.previous().orElseThrow();
            while (leftEnd.compareTo(start) > 0 && skipped(leftEnd) && !held.test(leftEnd)) {
                leftEnd = leftEnd.previous().orElseThrow();
            }
        }
        IpAddress rightStart = null;
        if (a.compareTo(end) < 0) {
            rightStart = a.next().orElseThrow();
            while (rightStart.compareTo(end) < 0 && skipped(rightStart) && !held.test(rightStart)) {
                rightStart = rightStart.next().orElseThrow();
            }
        }
        if (leftEnd != null && rightStart != null && onlySkippedBetween(leftEnd, rightStart)) {
            runs.put(start, end); // a was a skipped address: the run stays whole
            return;
        }
        if (leftEnd != null) {
            runs.put(start, leftEnd);
        }
        if (rightStart != null) {
            runs.put(rightStart, end);
        }
    }

    /** End of the run starting at or below {@code a}, or null when no run starts there. */
    private IpAddress endOfRunAtOrBelow(IpAddress a) {
        IpAddress start = runs.floorKey(a);
        return start == null ? null : runs.get(start);
    }

    /** First address at or after {@code a}, within the range, that the pool may hand out. */
    private Optional<IpAddress> firstUsableFrom(IpAddress a) {
        Optional<IpAddress> c = Optional.of(a);
        // At most two consecutive addresses (.255, .0) are skipped.
        for (int i = 0; i < 3 && c.isPresent(); i++) {
            IpAddress x = c.get();
            if (x.compareTo(range.last()) > 0) {
                return Optional.empty();
            }
            if (!skipped(x)) {
                return c;
            }
            c = x.next();
        }
        return Optional.empty();
    }

    /** Whether every address strictly between {@code a} and {@code b} (a &lt; b) is skipped. */
    private boolean onlySkippedBetween(IpAddress a, IpAddress b) {
        Optional<IpAddress> c = a.next();
        for (int i = 0; i < 3 && c.isPresent(); i++) {
            IpAddress x = c.get();
            if (x.compareTo(b) >= 0) {
                return true;
            }
            if (!skipped(x)) {
                return false;
            }
            c = x.next();
        }
        return false;
    }
}
