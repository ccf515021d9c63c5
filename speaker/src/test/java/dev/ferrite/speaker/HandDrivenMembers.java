package dev.ferrite.speaker;

import dev.ferrite.speaker.model.MemberCounts;
import dev.ferrite.speaker.ownership.MemberView;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The membership of a simulated cluster, driven by the test: every speaker of the test holds
 * a view on the same live set, and {@link #leave()} of one view removes its node for all.
 * {@link #remove} is a crash the membership can prove (the node's port answered unreachable):
 * the node is reported gone. {@link #silence} is a node that fell silent: it is only missing.
 */
final class HandDrivenMembers {

    private final Set<String> live = new TreeSet<>();
    private final Set<String> gone = new TreeSet<>();
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

    synchronized Set<String> live() {
        return Set.copyOf(live);
    }

    synchronized Set<String> gone() {
        Set<String> g = new TreeSet<>(gone);
        g.removeAll(live);
        return g;
    }

    void set(Set<String> nodes) {
        synchronized (this) {
            live.clear();
            live.addAll(nodes);
        }
        fire();
    }

    void add(String node) {
        synchronized (this) {
            live.add(node);
        }
        fire();
    }

    void remove(String node) {
        synchronized (this) {
            live.remove(node);
            gone.add(node);
        }
        fire();
    }

    /** {@code node} falls silent: it leaves the view, but nothing proves it stopped announcing. */
    void silence(String node) {
        synchronized (this) {
            live.remove(node);
            gone.remove(node);
        }
        fire();
    }

    private void fire() {
        Set<String> now = live();
        listeners.forEach(l -> l.accept(now));
    }

    /** The view of one node. */
    View viewOf(String node) {
        return new View(node);
    }

    final class View implements MemberView {
        private final String node;
        volatile boolean started;
        volatile boolean left;
        volatile List<InetSocketAddress> seeds = List.of();

        View(String node) {
            this.node = node;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public Set<String> liveMembers() {
            return live();
        }

        @Override
        public Set<String> healthyMembers() {
            return live();
        }

        @Override
        public Set<String> goneMembers() {
            return gone();
        }

        @Override
        public void addListener(Consumer<Set<String>> listener) {
            listeners.add(listener);
        }

        @Override
        public void updateSeeds(Collection<InetSocketAddress> s) {
            seeds = List.copyOf(s);
        }

        @Override
        public void leave() {
            left = true;
            remove(node);
        }

        @Override
        public MemberCounts counts() {
            return new MemberCounts(live().size(), 2, 5);
        }
    }
}
