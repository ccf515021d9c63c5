package dev.ferrite.speaker.k8s;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one kind's objects as the speaker's views of them: lists the kind, then watches it
 * from the list's resource version, and keeps a view per object (objects the parser keeps
 * nothing of are not stored). Every change of a stored view is handed to the handler, in the
 * order the API server sent them.
 *
 * <p>Retries for as long as it runs: a list or watch that fails is tried again after 1 s,
 * doubling to 32 s, and a watch the server ends is opened again from the last resource
 * version. A watch that reports an error (410 Gone: the resource version is too old) and an
 * event that cannot be read end the watch and list again, so nothing the server sent is
 * lost. Until the first list, {@link #hasSynced()} is false.
 */
public final class ListWatch<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ListWatch.class);

    /** Retries of every kind; a retry only starts a request. */
    private static final ScheduledExecutorService RETRY = retryThread();
    private static final long FIRST_RETRY_MS = 1_000;
    private static final int MAX_DOUBLINGS = 5;
    /** A watch that ended sooner than this after it opened counts as failed (backs off). */
    private static final long SHORT_WATCH_MS = 5_000;

    /** Reads one object of the kind. */
    @FunctionalInterface
    public interface Parser<T> {
        ObjectViews.Read<T> read(JsonReader in);
    }

    /** A stored view changed: {@code before} null when added, {@code after} null when removed. */
    @FunctionalInterface
    public interface Handler<T> {
        void changed(T before, T after);
    }

    private final String kind;
    private final KubeApi api;
    private final String path;
    private final Parser<T> parser;
    private final Handler<T> handler;
    private final Runnable afterList;
    private final Map<String, T> store = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    /** Serializes the lists' results and the watch's events. Guards the fields below. */
    private final Object apply = new Object();
    private String resourceVersion;
    private int failures;
    /** Counts watches opened and abandoned: events of an abandoned watch are dropped. */
    private long generation;
    private WebSocket socket;
    private volatile boolean closed;

    /**
     * @param kind      the kind's name in log lines, "Services"
     * @param path      the kind's collection, {@code /api/v1/services}
     * @param afterList runs after every list is applied (the handler has seen its changes)
     */
    public ListWatch(String kind, KubeApi api, String path, Parser<T> parser, Handler<T> handler, Runnable afterList) {
        this.kind = kind;
        this.api = api;
        this.path = path;
        this.parser = parser;
        this.handler = handler;
        this.afterList = afterList;
    }

    /** Starts listing; never blocks. Completes when the kind has been listed for the first time. */
    public CompletableFuture<Void> start() {
        relist();
        return listed;
    }

    public boolean hasSynced() {
        return listed.isDone();
    }

    /** The stored views, in no order. */
    public List<T> list() {
        return new ArrayList<>(store.values());
    }

    /** The view stored under {@code key} ({@code namespace/name}, or a cluster-scoped name), or null. */
    public T get(String key) {
        return store.get(key);
    }

    private void relist() {
        if (closed) {
            return;
        }
        api.get(path).whenComplete((body, error) -> {
            if (error != null) {
                failed("listing", error);
                return;
            }
            try {
                synchronized (apply) {
                    applyList(body);
                    failures = 0;
                }
            } catch (JsonReader.JsonException e) {
                failed("reading the list of", e);
                return;
            }
            afterList.run();
            listed.complete(null);
            watch();
        });
    }

    private void applyList(String body) {
        JsonReader in = new JsonReader(body);
        Map<String, T> now = new HashMap<>();
        String version = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> version = ObjectViews.stringField(in, "resourceVersion");
                case "items" -> {
                    if (in.nextIsNull()) {
                        break;
                    }
                    in.beginArray();
                    while (in.hasNext()) {
                        ObjectViews.Read<T> read = parser.read(in);
                        if (read.key() != null && read.value() != null) {
                            now.put(read.key(), read.value());
                        }
                    }
                    in.endArray();
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        in.end();
        resourceVersion = version;
        Set<String> gone = new HashSet<>(store.keySet());
        gone.removeAll(now.keySet());
        for (String key : gone) {
            changed(store.remove(key), null);
        }
        for (Map.Entry<String, T> e : now.entrySet()) {
            changed(store.put(e.getKey(), e.getValue()), e.getValue());
        }
    }

    private void watch() {
        long watchGeneration;
        String query;
        synchronized (apply) {
            if (closed) {
                return;
            }
            watchGeneration = ++generation;
            query = "?watch=true&allowWatchBookmarks=true"
                    + (resourceVersion == null || resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion);
        }
        long openedAt = System.nanoTime();
        api.watch(path + query, new WebSocket.Listener() {
            /** The parts of the message being received; an event may come in several frames. */
            private final StringBuilder text = new StringBuilder();
            private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

            @Override
            public void onOpen(WebSocket ws) {
                ws.request(1);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                // an API server frames JSON as text; a binary frame is read as the same UTF-8
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.writeBytes(bytes);
                if (last) {
                    String message = binary.toString(StandardCharsets.UTF_8);
                    binary.reset();
                    message(ws, message);
                } else {
                    ws.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    message(ws, message);
                } else {
                    ws.request(1);
                }
                return null;
            }

            private void message(WebSocket ws, String message) {
                synchronized (apply) {
                    if (watchGeneration != generation) {
                        return;
                    }
                    if (!event(message)) {
                        return;
                    }
                }
                ws.request(1);
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                ended(watchGeneration, openedAt, "closed by the server (" + code + (reason == null || reason.isEmpty()
                        ? "" : ", " + reason) + ")");
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                ended(watchGeneration, openedAt, KubeApi.describe(error));
            }
        }).whenComplete((ws, error) -> {
            if (error != null) {
                synchronized (apply) {
                    if (watchGeneration != generation) {
                        return;
                    }
                }
                failed("watching", error);
                return;
            }
            synchronized (apply) {
                if (watchGeneration == generation && !closed) {
                    socket = ws;
                    return;
                }
            }
            ws.abort();
        });
    }

    /**
     * Applies one watch event; false when the watch is to be abandoned (an error event, an
     * event that cannot be read), and a list is then under way.
     */
    private boolean event(String text) {
        String type = null;
        ObjectViews.Read<T> read = null;
        try {
            JsonReader in = new JsonReader(text);
            in.beginObject();
            while (in.hasNext()) {
                switch (in.nextName()) {
                    case "type" -> type = in.nextString();
                    case "object" -> {
                        if ("ERROR".equals(type)) {
                            in.skipValue();
                        } else {
                            read = parser.read(in);
                        }
                    }
                    default -> in.skipValue();
                }
            }
            in.endObject();
            in.end();
        } catch (JsonReader.JsonException e) {
            abandon("an event that cannot be read: " + e.getMessage(), true);
            return false;
        }
        if ("ERROR".equals(type)) {
            // 410 Gone, mostly: the watch's resource version is too old; list again
            abandon("the server ended the watch with an error: " + text, false);
            return false;
        }
        if (read == null || type == null) {
            abandon("an event without a type or an object: " + text, true);
            return false;
        }
        if (read.resourceVersion() != null) {
            resourceVersion = read.resourceVersion();
        }
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                if (read.key() != null) {
                    T before = read.value() == null ? store.remove(read.key()) : store.put(read.key(), read.value());
                    changed(before, read.value());
                }
            }
            case "DELETED" -> {
                if (read.key() != null) {
                    changed(store.remove(read.key()), null);
                }
            }
            default -> {
                // BOOKMARK: only its resource version
            }
        }
        return true;
    }

    private void changed(T before, T after) {
        if (Objects.equals(before, after)) {
            return;
        }
        try {
            handler.changed(before, after);
        } catch (RuntimeException e) {
            log.error("handling a change of {} failed: {}", kind, e.toString(), e);
        }
    }

    /** Ends the watch under way (holding {@link #apply}) and lists again, at once or after the backoff. */
    private void abandon(String why, boolean backOff) {
        generation++;
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        long delay = backOff ? nextDelay() : 0;
        log.warn("watching {}: {}; listing again{}", kind, why, delay == 0 ? "" : " in " + delay + " ms");
        schedule(this::relist, delay);
    }

    private void ended(long watchGeneration, long openedAt, String why) {
        long lived = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
        synchronized (apply) {
            if (watchGeneration != generation || closed) {
                return;
            }
            generation++;
            socket = null;
        }
        if (lived >= SHORT_WATCH_MS) {
            // the usual end of a long watch: on from where it was
            log.debug("watch of {} {} after {} ms; watching again", kind, why, lived);
            watch();
            return;
        }
        failed("watching", new IllegalStateException(why));
    }

    private void failed(String what, Throwable error) {
        if (closed) {
            return;
        }
        long delay;
        synchronized (apply) {
            generation++;
            socket = null;
            delay = nextDelay();
        }
        log.warn("{} {} failed, retrying in {} ms: {}", what, kind, delay, KubeApi.describe(error));
        schedule(this::relist, delay);
    }

    /** The backoff's next delay (holding {@link #apply}): 1 s, doubling to 32 s. */
    private long nextDelay() {
        return FIRST_RETRY_MS << Math.min(failures++, MAX_DOUBLINGS);
    }

    private void schedule(Runnable r, long delayMs) {
        if (!closed) {
            RETRY.schedule(r, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private static ScheduledExecutorService retryThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ferrite-api-retry");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (apply) {
            generation++;
            if (socket != null) {
                socket.abort();
                socket = null;
            }
        }
    }
}
