package dev.ferrite.speaker.handoff;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two cluster nodes and a client on one link, in namespaces of our own (root only): the
 * client {@code C} holds the bridge (198.18.30.1/24), nodes {@code A} (198.18.30.11) and
 * {@code B} (198.18.30.12) each route to a pod of their own ({@link EchoPod}, 198.18.31.2 and
 * 198.18.32.2) and stand in for kube-proxy with its kind of nft rules: DNAT of the Service IP
 * 198.18.30.200:80 to the local pod, masquerade of what was DNATed. In {@code ipvs} mode the
 * nodes also hold the Service IP on {@code kube-ipvs0}, as kube-proxy in IPVS mode does.
 * Which node the client sends to is set by its neighbour entry for the Service IP, as a
 * gratuitous ARP would set it. With {@code ipv6} the same in IPv6 (2001:db8:30::/64 on the
 * link, Service IP 2001:db8:30::200, the pods in 2001:db8:31::/64 and 2001:db8:32::/64), with
 * the neighbour entry set as an unsolicited neighbour advertisement would.
 * {@link #close} stops the children and deletes the namespaces. Used by {@code ferrite bench
 * handoff} and by the handoff end-to-end test; the children's standard error goes to
 * {@code handoff-<namespace>.log} in the log directory given.
 */
final class HandoffNetwork implements AutoCloseable {

    static final String MAC_A = "02:fa:00:00:30:0a";
    static final String MAC_B = "02:fb:00:00:30:0b";

    /** The Service IP and the nodes' link addresses, of the network's family. */
    final String vip;
    final String nodeAAddress;
    final String nodeBAddress;
    private final boolean ipv6;
    final String client;
    final String nodeA;
    final String nodeB;
    private final String podA;
    private final String podB;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    private final Thread cleanupHook = new Thread(this::cleanUp, "fxhandoff-cleanup");
    private Child clientProcess;

    /** A child JVM spoken to over stdin and stdout. */
    record Child(String namespace, Process process, Writer in, BlockingQueue<String> lines) {
        String ask(String command) throws Exception {
            lines.clear();
            in.write(command + "\n");
            in.flush();
            String reply = lines.poll(20, TimeUnit.SECONDS);
            if (reply == null) {
                throw new IllegalStateException("client in " + namespace + " did not answer '" + command + "'");
            }
            return reply;
        }
    }

    private final Path logs;

    private HandoffNetwork(boolean ipv6, Path logs) {
        this.ipv6 = ipv6;
        this.logs = logs;
        vip = ipv6 ? "2001:db8:30::200" : "198.18.30.200";
        nodeAAddress = ipv6 ? "2001:db8:30::11" : "198.18.30.11";
        nodeBAddress = ipv6 ? "2001:db8:30::12" : "198.18.30.12";
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        client = "fxhc" + suffix;
        nodeA = "fxha" + suffix;
        nodeB = "fxhb" + suffix;
        podA = "fxhpa" + suffix;
        podB = "fxhpb" + suffix;
    }

    static HandoffNetwork create(boolean ipvs, boolean ipv6, Path logs) throws Exception {
        HandoffNetwork n = new HandoffNetwork(ipv6, Files.createDirectories(logs));
        Runtime.getRuntime().addShutdownHook(n.cleanupHook);
        try {
            n.build(ipvs);
            return n;
        } catch (Exception e) {
            n.close();
            throw e;
        }
    }

    private void build(boolean ipvs) throws Exception {
        for (String ns : List.of(client, nodeA, nodeB, podA, podB)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", client, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", client, "link", "set", "br0", "up");
        addAddress(client, ipv6 ? "2001:db8:30::1/64" : "198.18.30.1/24", "br0");
        node(nodeA, "a", MAC_A, nodeAAddress, podA, ipv6 ? "2001:db8:31::" : "198.18.31.", ipvs);
        node(nodeB, "b", MAC_B, nodeBAddress, podB, ipv6 ? "2001:db8:32::" : "198.18.32.", ipvs);
        pointClientAt(MAC_A);
        if (ipv6) {
            awaitNoTentativeAddresses();
        }
        pod(podA, "a");
        pod(podB, "b");
        clientProcess = start(client, KeepAliveClient.class.getName(), vip, "80");
        if (!"ready".equals(clientProcess.lines().poll(30, TimeUnit.SECONDS))) {
            throw new IllegalStateException("client did not start");
        }
    }

    /**
     * A node: its link to the client's bridge, a pod behind it ({@code podNet} + 1 on the
     * node, + 2 in the pod) and kube-proxy's kind of rules for the Service IP.
     */
    private void node(String ns, String name, String mac, String address, String pod, String podNet, boolean ipvs)
            throws Exception {
        String linkPrefix = ipv6 ? "/64" : "/24";
        sh("ip", "link", "add", name + "0", "netns", ns, "type", "veth", "peer", "name", "p" + name, "netns", client);
        sh("ip", "-n", ns, "link", "set", name + "0", "address", mac, "up");
        sh("ip", "-n", client, "link", "set", "p" + name, "master", "br0", "up");
        addAddress(ns, address + linkPrefix, name + "0");
        sh("ip", "link", "add", "v" + name, "netns", ns, "type", "veth", "peer", "name", "eth0", "netns", pod);
        sh("ip", "-n", ns, "link", "set", "v" + name, "up");
        addAddress(ns, podNet + "1" + linkPrefix, "v" + name);
        sh("ip", "-n", pod, "link", "set", "eth0", "up");
        addAddress(pod, podNet + "2" + linkPrefix, "eth0");
        sh("ip", "-n", pod, ipv6 ? "-6" : "-4", "route", "add", "default", "via", podNet + "1");
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        if (ipvs) {
            sh("ip", "-n", ns, "link", "add", "kube-ipvs0", "type", "ifb");
            addAddress(ns, vip + (ipv6 ? "/128" : "/32"), "kube-ipvs0");
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2");
        }
        String family = ipv6 ? "ip6" : "ip";
        String podAddress = ipv6 ? "[" + podNet + "2]" : podNet + "2";
        String kubeProxy = String.join("\n",
                "table " + family + " kubeproxy {",
                "  chain services {",
                "    type nat hook prerouting priority dstnat; policy accept;",
                "    " + family + " daddr " + vip + " tcp dport 80 meta mark set meta mark | 0x4000 dnat to " + podAddress + ":80",
                "  }",
                "  chain masquerading {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    meta mark & 0x4000 == 0x4000 masquerade",
                "  }",
                "}", "");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(kubeProxy.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kube-proxy rules on " + ns + ": " + out);
        }
    }

    private void pod(String ns, String name) throws Exception {
        Child c = start(ns, EchoPod.class.getName(), name, "80");
        if (!"ready".equals(c.lines().poll(30, TimeUnit.SECONDS))) {
            throw new IllegalStateException("pod " + name + " did not start");
        }
    }

    /** Waits (bounded) until duplicate address detection of the link-local addresses is over, so NDP works. */
    private void awaitNoTentativeAddresses() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String ns : namespaces) {
            while (!sh("ip", "-n", ns, "-6", "addr", "show", "tentative").isBlank()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("IPv6 addresses in " + ns + " still tentative after 10 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** An address without duplicate address detection, so an IPv6 address is usable at once. */
    private void addAddress(String ns, String address, String dev) throws Exception {
        if (ipv6) {
            sh("ip", "-n", ns, "addr", "add", address, "dev", dev, "nodad");
        } else {
            sh("ip", "-n", ns, "addr", "add", address, "dev", dev);
        }
    }

    /** Sets the client's neighbour entry for the Service IP, as a gratuitous ARP (or unsolicited NA) from that MAC would. */
    void pointClientAt(String mac) throws Exception {
        sh("ip", "-n", client, "neigh", "replace", vip, "lladdr", mac, "dev", "br0", "nud", "reachable");
    }

    /** {@code -4} or {@code -6}, for {@code ip} commands about this network's family. */
    String familyFlag() {
        return ipv6 ? "-6" : "-4";
    }

    Child client() {
        return clientProcess;
    }

    HandoffCommands commandsOn(String ns) {
        return new HandoffCommands(List.of("ip", "netns", "exec", ns));
    }

    private Child start(String ns, String main, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Path log = logs.resolve("handoff-" + ns + ".log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-Xss256k", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        children.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "fxhandoff-read-" + ns);
        reader.setDaemon(true);
        reader.start();
        return new Child(ns, p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), lines);
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this
        }
    }

    private synchronized void cleanUp() {
        for (Process p : children) {
            p.destroyForcibly();
            try {
                p.waitFor(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        children.clear();
        for (String ns : namespaces) {
            try {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }

    static String sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return "0".equals(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return false;
        }
    }
}
