package dev.ferrite.speaker;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.ownership.Announcer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An announcer that records what it was asked to do, for integration tests of the glue. It
 * "announces" on the advertised interfaces, or on {@code eth0} when every interface is meant.
 * All recorders of a test share one journal, so the order across speakers can be checked.
 */
final class RecordingAnnouncer implements Announcer {

    record Entry(String node, String action, IpAddress ip) {
    }

    private final String node;
    private final List<Entry> journal;
    private final Map<IpAddress, Set<String>> current = new TreeMap<>();
    private boolean closed;

    RecordingAnnouncer(String node, List<Entry> journal) {
        this.node = node;
        this.journal = journal;
    }

    @Override
    public synchronized void announce(Map<IpAddress, Set<String>> wanted) {
        wanted.forEach((ip, advertised) -> {
            current.put(ip, advertised.isEmpty() ? Set.of("eth0") : new TreeSet<>(advertised));
            synchronized (journal) {
                journal.add(new Entry(node, "announce", ip));
            }
        });
    }

    @Override
    public synchronized void reassert(IpAddress ip) {
        if (current.containsKey(ip)) {
            synchronized (journal) {
                journal.add(new Entry(node, "reassert", ip));
            }
        }
    }

    @Override
    public synchronized void handOver() {
        current.keySet().forEach(ip -> {
            synchronized (journal) {
                journal.add(new Entry(node, "hand over", ip));
            }
        });
    }

    @Override
    public synchronized void withdraw(IpAddress ip) {
        if (current.remove(ip) != null) {
            synchronized (journal) {
                journal.add(new Entry(node, "withdraw", ip));
            }
        }
    }

    @Override
    public AnnouncerCounts counts() {
        return new AnnouncerCounts(3, 1, 4, 2, 0, java.util.Map.of());
    }

    @Override
    public synchronized java.util.SortedMap<IpAddress, Set<String>> announcements() {
        return new TreeMap<>(current);
    }

    synchronized Set<IpAddress> announced() {
        return Set.copyOf(current.keySet());
    }

    synchronized Set<String> interfacesOf(IpAddress ip) {
        return current.getOrDefault(ip, Set.of());
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        current.clear();
        closed = true;
    }

    static List<Entry> newJournal() {
        return new ArrayList<>();
    }
}
