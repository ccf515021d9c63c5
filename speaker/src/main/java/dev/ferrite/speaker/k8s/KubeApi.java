package dev.ferrite.speaker.k8s;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The API server as raw JSON, over the JDK's HTTP client: a GET's body and a watch's events as
 * text, read by {@link JsonReader} rather than bound to model classes, and objects written as
 * JSON text. Every request carries the access's bearer token (read again as it rotates) and
 * goes over its TLS.
 */
public final class KubeApi {

    private static final String JSON = "application/json";
    /** A request the API server has not answered within this long fails; a list of thousands of objects takes well under it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ApiAccess access;
    private final HttpClient http;
    private final String base;

    public KubeApi(ApiAccess access) {
        this.access = access;
        if (access.insecure()) {
            // insecure-skip-tls-verify: the JDK's client checks host names unless told not to, process-wide
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        }
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        access.tls().ifPresent(builder::sslContext);
        this.http = builder.build();
        String url = access.server().toString();
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

    /** An answer: its HTTP code and its body as text. */
    public record Answer(int code, String body) {
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", JSON).header("User-Agent", access.userAgent());
        access.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    /** The body of {@code path}'s GET; fails with {@link ApiException} for any answer but 200. */
    public CompletableFuture<String> get(String path) {
        return send("GET", path, null).thenCompose(r -> r.code() == 200 ? CompletableFuture.completedFuture(r.body())
                : CompletableFuture.failedFuture(new ApiException(r.code(), "GET " + path)));
    }

    /** The body of {@code path}'s GET, or empty when it is not there (404). */
    public Optional<String> getIfFound(String path) throws IOException {
        Answer r = call("GET", path, null);
        if (r.code() == 404) {
            return Optional.empty();
        }
        if (r.code() != 200) {
            throw new ApiException(r.code(), "GET " + path);
        }
        return Optional.of(r.body());
    }

    /** The body of {@code path}'s GET, waited for; an {@link ApiException} for any answer but 200. */
    public String getBody(String path) throws IOException {
        return getIfFound(path).orElseThrow(() -> new ApiException(404, "GET " + path));
    }

    /** DELETEs {@code path}; one that is gone already (404) counts as deleted. */
    public void delete(String path) throws IOException {
        Answer r = call("DELETE", path, null);
        if (r.code() / 100 != 2 && r.code() != 404) {
            throw new ApiException(r.code(), "DELETE " + path);
        }
    }

    /**
     * POSTs {@code json} to {@code path}; the future holds the answer's HTTP code (its body is
     * not parsed) and fails only when no answer came.
     */
    public CompletableFuture<Integer> post(String path, String json) {
        return send("POST", path, json).thenApply(Answer::code);
    }

    /**
     * Sends {@code method} ({@code GET}, {@code POST}, {@code PUT}, {@code DELETE}) to
     * {@code path} with {@code json} as its body (none when null); fails only when no answer came.
     */
    public CompletableFuture<Answer> send(String method, String path, String json) {
        HttpRequest.Builder b = request(path);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Answer(r.statusCode(), r.body()));
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
     * socket: each message is one watch event. The listener requests each next message.
     */
    public CompletableFuture<WebSocket> watch(String path, WebSocket.Listener listener) {
        String url = base + path;
        URI uri = URI.create((url.startsWith("https:") ? "wss:" : "ws:") + url.substring(url.indexOf(':') + 1));
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).header("User-Agent", access.userAgent());
        access.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b.buildAsync(uri, listener);
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
