package dev.ferrite.lab.apiserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays TCP connections through a Unix domain socket, so the drill (in the root network
 * namespace) can reach the API server inside the control-plane namespace without any route
 * between the two: the socket is a file, visible from every network namespace, while IP
 * stays sealed inside the lab. The API server process listens on the socket and relays to
 * its own port; the drill listens on 127.0.0.1 and relays to the socket.
 */
public final class SocketRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRelay.class);
    private static final int MAX_CONNECTIONS = 256;

    private final ServerSocketChannel server;
    private final SocketAddress target;
    private final Thread acceptor;
    private final List<SocketChannel> open = new ArrayList<>();
    private volatile boolean closed;

    private SocketRelay(ServerSocketChannel server, SocketAddress target, String name) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::accept, "relay-" + name);
        this.acceptor.setDaemon(true);
    }

    /** Accepts on the Unix socket {@code socket} (replacing a stale file) and relays to {@code target}. */
    public static SocketRelay fromUnixSocket(Path socket, SocketAddress target) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        SocketRelay r = new SocketRelay(s, target, socket.getFileName().toString());
        r.acceptor.start();
        return r;
    }

    /** Accepts on {@code listen} (TCP, e.g. 127.0.0.1 port 0) and relays to the Unix socket {@code socket}. */
    public static SocketRelay toUnixSocket(SocketAddress listen, Path socket) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(listen);
        SocketRelay r = new SocketRelay(s, UnixDomainSocketAddress.of(socket), "tcp");
        r.acceptor.start();
        return r;
    }

    public SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    /** The channels relayed now, both sides of each connection. */
    List<SocketChannel> openChannels() {
        synchronized (open) {
            return List.copyOf(open);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel in = server.accept();
                SocketChannel out;
                try {
                    out = SocketChannel.open(target);
                } catch (IOException e) {
                    LOG.debug("relay to {} refused: {}", target, e.getMessage());
                    in.close();
                    continue;
                }
                synchronized (open) {
                    if (open.size() >= MAX_CONNECTIONS * 2) {
                        in.close();
                        out.close();
                        continue;
                    }
                    open.add(in);
                    open.add(out);
                }
                noDelay(in);
                noDelay(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("relay accept failed: {}", e.getMessage());
                }
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // one side closed; close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (open) {
                    open.remove(from);
                    open.remove(to);
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A relay writes each piece as it arrives; with Nagle's algorithm on, a small piece waits
     * for the ACK of the one before, which the peer delays (up to 40 ms on Linux): an HTTP/2
     * client's request (headers, then data) waited for it at every relay.
     */
    private static void noDelay(SocketChannel c) {
        try {
            if (!(c.getLocalAddress() instanceof UnixDomainSocketAddress)) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            LOG.debug("relay: TCP_NODELAY not set: {}", e.getMessage());
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        synchronized (open) {
            open.forEach(SocketRelay::closeQuietly);
            open.clear();
        }
    }
}
