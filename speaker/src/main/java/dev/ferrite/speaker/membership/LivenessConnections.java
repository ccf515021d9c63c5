package dev.ferrite.speaker.membership;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle TCP connections to the members this one heartbeats, so that a member's process ending is
 * seen the moment its kernel closes them: the sockets of a killed process are closed at once,
 * and the FIN (or RST) arrives long before the next heartbeat would bounce off its closed port.
 *
 * <p>A closed connection proves nothing by itself (a middlebox's reset, a segment forged by a
 * host on the path): it only makes the member probe at once, and the crash fast path's two
 * bounces decide (docs/design.md, "Crash fast path"). Nothing travels on a connection but one
 * byte: a member that leaves gracefully writes it to the connections it accepted before it
 * closes them, so that its watchers take the close for the leave it announced, not for a crash.
 * A connection that sends anything else, or more than that, is not a member's and is closed.
 *
 * <p>The listener takes the membership's address and port over TCP. If it cannot, the member
 * runs without it: the others' connections are refused, and they see its end by heartbeats.
 * Accepted connections are capped ({@link #MAX_ACCEPTED}), so strangers cannot hold more than
 * that many sockets open; a member whose connection is refused for that reason loses only
 * the early warning. Both sides keep TCP keepalive on, with the kernel's timers (a probe
 * after two hours idle, by default): a watcher whose node lost power leaves no FIN, and its
 * half of the connection is closed then rather than held until the cap is reached.
 *
 * <p>{@link #ready} runs on the one thread that selects on the selector; {@link #connect},
 * {@link #close(Link)}, {@link #farewell} and {@link #close()} may run on any thread.
 */
final class LivenessConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivenessConnections.class);
    /** Connections from other hosts held open at most (a member's watchers are a handful). */
    static final int MAX_ACCEPTED = 64;
    /** What a leaving member writes before it closes, so its watchers do not probe it. */
    static final byte FAREWELL = 'L';

    /** One outgoing connection to a member this one heartbeats. */
    static final class Link {
        final String name;
        final SocketChannel channel;
        /** A farewell arrived: the close that follows is a leave. */
        private boolean leaving;

        private Link(String name, SocketChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        /** False once closed, by either side or because it could not connect. */
        boolean open() {
            return channel.isOpen();
        }

        /** Open and connected. */
        boolean connected() {
            return channel.isOpen() && channel.isConnected();
        }
    }

    /** A connection another member opened to this one. */
    private static final class Accepted {
        final SocketChannel channel;

        Accepted(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final Selector selector;
    private final String nodeName;
    private final Set<SocketChannel> accepted = new HashSet<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(64);
    private ServerSocketChannel listener;
    private long refused;

    LivenessConnections(Selector selector, String nodeName) {
        this.selector = selector;
        this.nodeName = nodeName;
    }

    /** Listens on {@code address} over TCP; returns false (and logs why) if it cannot. */
    boolean listen(InetSocketAddress address) {
        try {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, 16);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT, this);
            selector.wakeup();
            listener = ch;
            return true;
        } catch (IOException e) {
            log.warn("membership of {} cannot listen on TCP {} ({}): its end will be seen by heartbeats only",
                    nodeName, address, e.toString());
            return false;
        }
    }

    /** Starts a connection to {@code address} from {@code local}; null if it cannot even start. */
    Link connect(String name, InetSocketAddress local, InetSocketAddress address) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.bind(local);
            ch.configureBlocking(false);
            Link link = new Link(name, ch);
            boolean connected = ch.connect(address);
            ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, link);
            selector.wakeup();
            return link;
        } catch (IOException e) {
            log.debug("membership of {}: no liveness connection to {} at {}: {}", nodeName, name, address, e.toString());
            closeQuietly(ch);
            return null;
        }
    }

    /** Closes an outgoing connection this member no longer needs (null: nothing). */
    void close(Link link) {
        if (link != null) {
            closeQuietly(link.channel);
        }
    }

    /**
     * Handles one selected key; adds to {@code lost} the outgoing connections whose peer
     * closed them without a farewell.
     */
    void ready(SelectionKey key, Consumer<Link> lost) {
        Object at = key.attachment();
        if (!key.isValid()) {
            return;
        }
        if (at == this) {
            accept();
        } else if (at instanceof Link link) {
            onLink(key, link, lost);
        } else if (at instanceof Accepted a) {
            onAccepted(a.channel);
        }
    }

    /** Writes the farewell on every accepted connection, before a graceful leave closes them. */
    synchronized void farewell() {
        for (SocketChannel ch : List.copyOf(accepted)) {
            try {
                ch.write(ByteBuffer.wrap(new byte[] {FAREWELL}));
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(listener);
        accepted.forEach(LivenessConnections::closeQuietly);
        accepted.clear();
    }

    private synchronized void accept() {
        SocketChannel ch;
        try {
            ch = listener.accept();
        } catch (IOException e) {
            log.debug("membership of {}: accepting a liveness connection failed: {}", nodeName, e.toString());
            return;
        }
        if (ch == null) {
            return;
        }
        accepted.removeIf(c -> !c.isOpen());
        if (accepted.size() >= MAX_ACCEPTED) {
            if (refused++ % 100 == 0) {
                log.warn("membership of {} holds {} liveness connections already; refused one from {} ({} so far)",
                        nodeName, MAX_ACCEPTED, remote(ch), refused);
            }
            closeQuietly(ch);
            return;
        }
        try {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, new Accepted(ch));
            accepted.add(ch);
        } catch (IOException e) {
            closeQuietly(ch);
        }
    }

    /** Peers send nothing on the connections they open: anything read, or the end, closes it. */
    private synchronized void onAccepted(SocketChannel ch) {
        try {
            scratch.clear();
            int n = ch.read(scratch);
            if (n > 0) {
                log.debug("membership of {}: closing a liveness connection from {} that sent {} bytes", nodeName,
                        remote(ch), n);
            } else if (n == 0) {
                return;
            }
        } catch (IOException e) {
            // reset by the peer: closed below
        }
        accepted.remove(ch);
        closeQuietly(ch);
    }

    private void onLink(SelectionKey key, Link link, Consumer<Link> lost) {
        if (key.isConnectable()) {
            try {
                if (link.channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                // refused (no listener: a member without one, or a process already gone) or unreachable
                log.debug("membership of {}: liveness connection to {} failed: {}", nodeName, link.name, e.toString());
                closeQuietly(link.channel);
            }
            return;
        }
        boolean ended;
        try {
            scratch.clear();
            int n = link.channel.read(scratch);
            if (n == 0) {
                return;
            }
            if (n == 1 && scratch.get(0) == FAREWELL && !link.leaving) {
                link.leaving = true;
                return;
            }
            ended = n < 0;
        } catch (IOException e) {
            ended = true;
        }
        boolean crash = ended && !link.leaving && link.channel.isOpen();
        closeQuietly(link.channel);
        if (crash) {
            lost.accept(link);
        }
    }

    private static String remote(SocketChannel ch) {
        try {
            return String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing: nothing left to do with it.
        }
    }
}
