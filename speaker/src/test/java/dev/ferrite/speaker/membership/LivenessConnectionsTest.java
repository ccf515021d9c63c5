package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two members' connection ends on 127.0.0.1, each selector pumped by the test's thread. */
class LivenessConnectionsTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Selector targetSelector;
    private Selector watcherSelector;
    private LivenessConnections target;
    private LivenessConnections watcher;
    private InetSocketAddress targetAddress;
    private final List<LivenessConnections.Link> lost = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        targetSelector = Selector.open();
        watcherSelector = Selector.open();
        target = new LivenessConnections(targetSelector, "target");
        watcher = new LivenessConnections(watcherSelector, "watcher");
        targetAddress = Cluster.freeAddress();
        assertTrue(target.listen(targetAddress), "the target should listen on " + targetAddress);
    }

    @AfterEach
    void close() throws IOException {
        target.close();
        watcher.close();
        targetSelector.close();
        watcherSelector.close();
    }

    @Test
    void aTargetThatEndsWithoutAFarewellIsReportedLostOnce() throws Exception {
        LivenessConnections.Link link = connected();
        assertTrue(link.channel.getOption(StandardSocketOptions.SO_KEEPALIVE), "keepalive closes half-open connections");
        target.close();
        assertTrue(pumpUntil(() -> !lost.isEmpty()), "the watcher should see the close");
        assertEquals(List.of(link), lost);
        assertFalse(link.open());
        pump(100);
        assertEquals(1, lost.size(), "reported once");
    }

    @Test
    void aTargetThatLeavesSaysFarewellAndIsNotReportedLost() throws Exception {
        LivenessConnections.Link link = connected();
        target.farewell();
        target.close();
        assertTrue(pumpUntil(() -> !link.open()), "the watcher should close its end");
        assertEquals(List.of(), lost);
    }

    @Test
    void aLinkTheWatcherClosesItselfIsNotReportedLost() throws Exception {
        LivenessConnections.Link link = connected();
        watcher.close(link);
        pump(200);
        assertFalse(link.open());
        assertEquals(List.of(), lost);
    }

    @Test
    void aRefusedConnectionClosesTheLinkWithoutReportingIt() throws Exception {
        LivenessConnections.Link link = watcher.connect("nobody", LOCAL, Cluster.freeAddress());
        if (link != null) {
            assertTrue(pumpUntil(() -> !link.open()), "a refused connection should be closed");
        }
        assertEquals(List.of(), lost);
    }

    /** A link from the watcher to the target, connected and accepted. */
    private LivenessConnections.Link connected() throws Exception {
        LivenessConnections.Link link = watcher.connect("target", LOCAL, targetAddress);
        assertNotNull(link);
        assertTrue(pumpUntil(link::connected), "the link should connect");
        pump(100);
        return link;
    }

    private boolean pumpUntil(BooleanSupplier done) throws IOException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            pumpOnce();
        }
        return done.getAsBoolean();
    }

    private void pump(long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            pumpOnce();
        }
    }

    private void pumpOnce() throws IOException {
        for (Selector s : List.of(targetSelector, watcherSelector)) {
            if (!s.isOpen()) {
                continue;
            }
            s.select(5);
            LivenessConnections owner = s == targetSelector ? target : watcher;
            for (SelectionKey key : s.selectedKeys()) {
                owner.ready(key, lost::add);
            }
            s.selectedKeys().clear();
        }
    }
}
