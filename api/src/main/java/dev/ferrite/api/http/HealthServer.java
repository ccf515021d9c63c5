package dev.ferrite.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint of the controller and of the speaker, for Prometheus and the kubelet:
 * {@code /metrics}, {@code /healthz} (the process runs its loops) and {@code /readyz}. A
 * probe answers 200 {@code ok}, or 503 with what is wrong (e.g. "informers not synced").
 * One thread serves every request: scrapes and probes are rare and short.
 */
public final class HealthServer implements AutoCloseable {

    private static final String TEXT = "text/plain; charset=utf-8";

    /** What {@code /metrics} serves: the Prometheus text format unless {@link #contentType()} says otherwise. */
    public interface Metrics {
        /** The Prometheus text exposition format, version 0.0.4, which both components write. */
        String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

        void writeTo(OutputStream out) throws IOException;

        default String contentType() {
            return PROMETHEUS_TEXT;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on all addresses; port 0 picks a free one (see {@link #port()}).
     *
     * @param notLiveBecause  empty while the process is healthy, otherwise why not
     * @param notReadyBecause empty when ready, otherwise what is missing
     * @param readyDetail     a line a ready answer carries after {@code ok} (empty: none)
     */
    public static HealthServer start(int port, String threadName, Metrics metrics, Supplier<String> notLiveBecause,
            Supplier<String> notReadyBecause, Supplier<String> readyDetail) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            metrics.writeTo(body);
            respond(ex, 200, metrics.contentType(), body.toByteArray());
        });
        server.createContext("/healthz", ex -> probe(ex, notLiveBecause.get(), ""));
        server.createContext("/readyz", ex -> probe(ex, notReadyBecause.get(), readyDetail.get()));
        server.start();
        return new HealthServer(server, executor);
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, String problem, String detail) throws IOException {
        boolean ok = problem.isEmpty();
        String body = ok ? "ok\n" + (detail.isEmpty() ? "" : detail + "\n") : problem + "\n";
        respond(ex, ok ? 200 : 503, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
