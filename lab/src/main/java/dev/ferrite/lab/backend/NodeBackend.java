package dev.ferrite.lab.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kube-proxy stand-in on a lab node: answers {@code node=<name>} to any HTTP request on
 * port 80 of every address the node holds, VIPs on its VIP link included, so the client can
 * tell which node its traffic reached. One wildcard socket serves IPv4 and IPv6 (Java binds
 * {@code [::]} dual-stack). Prints {@code ready node=<name> port=<port>} once listening.
 *
 * <p>Usage: {@code NodeBackend --node node1 [--port 80]}
 */
public final class NodeBackend {

    public static final String READY = "ready node=";
    public static final int DEFAULT_PORT = 80;

    private NodeBackend() {
    }

    public static void main(String[] args) throws IOException {
        String node = null;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--node") && i + 1 < args.length) {
                node = args[++i];
            } else if (a.equals("--port") && i + 1 < args.length) {
                port = parsePort(args[++i]);
            } else {
                fail("unknown argument \"" + a + "\"; usage: NodeBackend --node NAME [--port 80]");
            }
        }
        if (node == null || node.isBlank()) {
            fail("--node is required; usage: NodeBackend --node NAME [--port 80]");
        }
        byte[] answer = ("node=" + node + "\n").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        server.setExecutor(workers);
        server.createContext("/", exchange -> answer(exchange, answer));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdownNow();
        }, "backend-stop"));
        System.out.println(READY + node + " port=" + port);
        System.out.flush();
    }

    /** Starts the backend on a node host and waits (bounded) until it listens. */
    public static LabProcess startOn(LabProcesses processes, Host node, Duration readyBound) {
        LabProcess p = processes.startJava(node, "backend-" + node.name(), NodeBackend.class.getName(),
                List.of("--node", node.name()));
        if (p.awaitLine(l -> l.startsWith(READY), readyBound).isEmpty()) {
            throw new IllegalStateException("backend on " + node.name() + " did not report ready within "
                    + readyBound.toMillis() + " ms; its log " + p.log() + " says: " + String.join(" | ", p.lines()));
        }
        return p;
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--port \"" + text + "\": must be a number between 1 and 65535");
        return -1;
    }

    private static void fail(String message) {
        System.err.println("NodeBackend: " + message);
        System.exit(2);
    }
}
