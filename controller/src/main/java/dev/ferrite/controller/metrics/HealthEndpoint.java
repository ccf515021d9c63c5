package dev.ferrite.controller.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * HTTP endpoint for the kubelet and Prometheus: {@code /metrics}, {@code /healthz} (the
 * process runs its loops) and {@code /readyz} (informers synced and a configuration loaded).
 */
public final class HealthEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code port} on all addresses; port 0 picks a free one (see {@link #port()}). */
    public static HealthEndpoint start(int port, ControllerMetrics metrics, BooleanSupplier live, BooleanSupplier ready)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferrite-controller-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            metrics.writeText(body);
            respond(ex, 200, metrics.contentType(), body.toByteArray());
        });
        server.createContext("/healthz", ex -> probe(ex, live.getAsBoolean()));
        server.createContext("/readyz", ex -> probe(ex, ready.getAsBoolean()));
        server.start();
        return new HealthEndpoint(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, boolean ok) throws IOException {
        byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
        respond(ex, ok ? 200 : 503, "text/plain; charset=utf-8", body);
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
