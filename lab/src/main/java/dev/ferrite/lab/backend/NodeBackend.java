package dev.ferrite.lab.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP server behind every lab Service: answers {@code node=<name>} to any HTTP request on
 * port 80 of every address its host holds, so the client can tell which node its traffic
 * reached. One wildcard socket serves IPv4 and IPv6 (Java binds {@code [::]} dual-stack).
 * Prints {@code ready node=<name> port=<port>} once listening. Connections are kept alive
 * (HTTP/1.1), so a client can hold one through a failover.
 *
 * <p>As a pod ({@code --pod NAME}) it also answers {@code pod=<name>} and {@code client=<the
 * address it sees>}, and {@code node=} names the node the request came in through, not the
 * pod's own: a request masqueraded by another node (externalTrafficPolicy Cluster) carries
 * that node's address, given with {@code --node-address NODE=IP}; any other source means
 * the pod's own node took it in.
 *
 * <p>Usage: {@code NodeBackend --node node1 [--port 80] [--pod NAME --node-address node2=198.18.0.12 ...]}
 */
public final class NodeBackend {

    public static final String READY = "ready node=";
    public static final int DEFAULT_PORT = 80;
    static final int MAX_IDLE_CONNECTIONS = 10_000;

    private NodeBackend() {
    }

    public static void main(String[] args) throws IOException {
        String node = null;
        String pod = null;
        Map<String, String> nodeByAddress = new HashMap<>();
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--node") && i + 1 < args.length) {
                node = args[++i];
            } else if (a.equals("--pod") && i + 1 < args.length) {
                pod = args[++i];
            } else if (a.equals("--node-address") && i + 1 < args.length && args[i + 1].contains("=")) {
                String[] kv = args[++i].split("=", 2);
                nodeByAddress.put(normalise(kv[1]), kv[0]);
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
        // The JDK server closes a kept-alive connection once 200 are idle, and a pod behind
        // 100 Services holds about that many of the client's long-lived connections: the
        // drill would count those closes as broken by a move. Real servers keep far more.
        System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        server.setExecutor(workers);
        String ownNode = node;
        String podName = pod;
        server.createContext("/", exchange -> answer(exchange, podName == null ? answer
                : podAnswer(podName, ownNode, nodeByAddress, exchange.getRemoteAddress().getAddress())));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdownNow();
        }, "backend-stop"));
        System.out.println(READY + node + " port=" + port);
        System.out.flush();
    }

    /**
     * Starts a pod's server in the pod's namespace and waits (bounded) until it listens;
     * {@code nodeAddresses} maps every node address a masqueraded request can carry to its node.
     */
    public static LabProcess startPod(LabProcesses processes, Host pod, Host node, Map<String, String> nodeAddresses,
                                      Duration readyBound) {
        List<String> args = new java.util.ArrayList<>(List.of("--node", node.name(), "--pod", pod.name()));
        nodeAddresses.forEach((address, name) -> {
            args.add("--node-address");
            args.add(name + "=" + address);
        });
        LabProcess p = processes.startDataPathJava(pod, pod.name(), LabProcesses.DEFAULT_JVM_OPTIONS,
                NodeBackend.class.getName(), args);
        if (p.awaitLine(l -> l.startsWith(READY), readyBound).isEmpty()) {
            throw new IllegalStateException("pod " + pod.name() + " did not report ready within "
                    + readyBound.toMillis() + " ms; its log " + p.log() + " says: " + String.join(" | ", p.lines()));
        }
        return p;
    }

    /** Starts the backend on a node host and waits (bounded) until it listens. */
    public static LabProcess startOn(LabProcesses processes, Host node, Duration readyBound) {
        LabProcess p = processes.startDataPathJava(node, "backend-" + node.name(), LabProcesses.DEFAULT_JVM_OPTIONS,
                NodeBackend.class.getName(), List.of("--node", node.name()));
        if (p.awaitLine(l -> l.startsWith(READY), readyBound).isEmpty()) {
            throw new IllegalStateException("backend on " + node.name() + " did not report ready within "
                    + readyBound.toMillis() + " ms; its log " + p.log() + " says: " + String.join(" | ", p.lines()));
        }
        return p;
    }

    /** The pod's answer: the node the request came in through, the pod, and the client address it sees. */
    static byte[] podAnswer(String pod, String ownNode, Map<String, String> nodeByAddress, InetAddress peer) {
        String client = normalise(peer.getHostAddress());
        String via = nodeByAddress.getOrDefault(client, ownNode);
        return ("node=" + via + "\npod=" + pod + "\npod-node=" + ownNode + "\nclient=" + client + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One spelling per address: an IPv4-mapped IPv6 address as plain IPv4, IPv6 without zone. */
    static String normalise(String address) {
        String a = address.startsWith("/") ? address.substring(1) : address;
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (a.startsWith("::ffff:") && a.indexOf('.') > 0) {
            return a.substring(7);
        }
        return dev.ferrite.api.net.IpAddress.parse(a).map(Object::toString).orElse(a);
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
