package dev.ferrite.controller.webhook;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook: HTTPS on netty, {@code POST /validate} with
 * {@code admission.k8s.io/v1} AdmissionReview, judged by {@link ConfigAdmission} against
 * {@link CurrentConfigObjects}. The pipeline is TLS → HTTP/1.1 → keep-alive → whole body →
 * {@link AdmissionRequestHandler}. The API server talks HTTP/1.1 when TLS offers no ALPN.
 */
public final class AdmissionWebhookServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdmissionWebhookServer.class);

    /** An AdmissionReview holds the object and the old object; each is at most 1.5 MiB in etcd. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** Idle keep-alive connections are closed after this; the API server opens a new one when needed. */
    static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group;
    private final Channel channel;
    private final int port;

    private AdmissionWebhookServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Listens on {@code address} (port 0 picks a free port) until {@link #close()}.
     *
     * @throws IOException when the certificate or key cannot be read or the address is taken
     */
    public static AdmissionWebhookServer start(InetSocketAddress address, File certificate, File key,
            CurrentConfigObjects current) throws IOException {
        ServingCertificate serving = ServingCertificate.load(certificate, key);
        AdmissionRequestHandler handler = new AdmissionRequestHandler(current);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
                new DefaultThreadFactory("ferrite-webhook", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                serving.current().newHandler(ch.alloc()),
                                new ReadTimeoutHandler(IDLE_SECONDS),
                                new HttpServerCodec(),
                                new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                handler);
                    }
                });
        try {
            Channel channel = bootstrap.bind(address).sync().channel();
            AdmissionWebhookServer server = new AdmissionWebhookServer(group, channel);
            log.info("webhook: serving POST {} on https://{}:{} with certificate {}", AdmissionRequestHandler.PATH,
                    address.getHostString(), server.port, certificate);
            return server;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("webhook: cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The port listened on, e.g. the one picked for port 0. */
    public int port() {
        return port;
    }

    /** Stops accepting, closes open connections and ends the threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("webhook: stopped listening on port {}", port);
    }
}
