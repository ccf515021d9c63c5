package dev.ferrite.speaker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /healthz} (the process is up) and
 * {@code /readyz} (200 only when {@code readiness} reports nothing missing; otherwise 503 with
 * what is missing, e.g. "informers not synced").
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public static MetricsServer start(int port, PrometheusRegistry registry, Supplier<String> notReadyBecause)
            throws IOException {
        return new MetricsServer(port, registry, notReadyBecause, () -> "");
    }

    /** As {@link #start(int, PrometheusRegistry, Supplier)}; a ready answer also carries {@code detail}'s line. */
    public static MetricsServer start(int port, PrometheusRegistry registry, Supplier<String> notReadyBecause,
            Supplier<String> detail) throws IOException {
        return new MetricsServer(port, registry, notReadyBecause, detail);
    }

    private MetricsServer(int port, PrometheusRegistry registry, Supplier<String> notReadyBecause, Supplier<String> detail)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, registry.scrape());
            send(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
        });
        server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/readyz", exchange -> {
            String missing = notReadyBecause.get();
            if (missing.isEmpty()) {
                String more = detail.get();
                send(exchange, 200, "text/plain", ("ok\n" + (more.isEmpty() ? "" : more + "\n")).getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 503, "text/plain", (missing + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferrite-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
