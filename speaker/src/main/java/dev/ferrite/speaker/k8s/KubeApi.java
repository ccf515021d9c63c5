package dev.ferrite.speaker.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The API server as raw JSON: a GET's body and a watch's events as text, read by
 * {@link JsonReader} rather than bound to the client's model classes. Requests go through
 * the client's HTTP client, with its TLS settings and credentials.
 */
public final class KubeApi {

    private static final String JSON = "application/json";

    private final HttpClient http;
    private final String base;

    public KubeApi(KubernetesClient client) {
        this.http = client.getHttpClient();
        String url = client.getConfiguration().getMasterUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A request's answer that was not the one expected. */
    public static final class ApiException extends IOException {
        private final int code;

        public ApiException(int code, String request) {
            super(request + ": HTTP " + code);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The body of {@code path}'s GET; fails with {@link ApiException} for any answer but 200. */
    public CompletableFuture<String> get(String path) {
        return http.sendAsync(http.newHttpRequestBuilder().uri(URI.create(base + path)).build(), String.class)
                .thenCompose(r -> r.code() == 200 ? CompletableFuture.completedFuture(r.body())
                        : CompletableFuture.failedFuture(new ApiException(r.code(), "GET " + path)));
    }

    /** The body of {@code path}'s GET, or empty when it is not there (404). */
    public Optional<String> getIfFound(String path) throws IOException {
        try {
            return Optional.of(get(path).join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof ApiException a && a.code() == 404) {
                return Optional.empty();
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("GET " + path + ": " + describe(e), e.getCause());
        }
    }

    /**
     * POSTs {@code json} to {@code path}; the future holds the answer's HTTP code (its body is
     * not parsed) and fails only when no answer came.
     */
    public CompletableFuture<Integer> post(String path, String json) {
        return send("POST", path, json).thenApply(Answer::code);
    }

    /** An answer: its HTTP code and its body as text. */
    public record Answer(int code, String body) {
    }

    /**
     * Sends {@code method} ({@code POST}, {@code PUT}, {@code DELETE}) to {@code path} with
     * {@code json} as its body (none when null); fails only when no answer came.
     */
    public CompletableFuture<Answer> send(String method, String path, String json) {
        var request = http.newHttpRequestBuilder().uri(URI.create(base + path)).method(method, JSON, json).build();
        return http.sendAsync(request, String.class).thenApply(r -> new Answer(r.code(), r.body()));
    }

    /** {@link #send} waited for: the answer, or an IOException when none came. */
    public Answer call(String method, String path, String json) throws IOException {
        try {
            return send(method, path, json).join();
        } catch (CompletionException e) {
            throw new IOException(method + " " + path + ": " + describe(e), e.getCause());
        }
    }

    /**
     * Opens a watch of {@code path} (with its query, {@code watch=true} among it) as a web
     * socket: each message is one watch event. The listener must call
     * {@link WebSocket#request()} for each next message.
     */
    public CompletableFuture<WebSocket> watch(String path, WebSocket.Listener listener) {
        return http.newWebSocketBuilder().uri(WebSocket.toWebSocketUri(URI.create(base + path))).buildAsync(listener);
    }

    /** What went wrong with a request, for a log line: the first message under the futures' wrapping. */
    public static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
