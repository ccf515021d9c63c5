package dev.ferrite.lab.netns;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Thin glue over iproute2's {@code ip} command. Every call is one {@code ip} process with a
 * bounded run time; a failure throws {@link CommandFailedException} carrying the command line
 * and the kernel's answer from stderr. Links are always addressed inside a named namespace
 * ({@code ip -n NS ...}) so nothing here ever touches the root namespace by accident.
 */
public final class IpCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ip;

    /** @param ip absolute path of the {@code ip} binary (see {@link LabPreflight#findIp()}) */
    public IpCommand(String ip) {
        this.ip = ip;
    }

    public String path() {
        return ip;
    }

    public List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : run("netns", "list").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty()) {
                // "name (id: 3)" when the namespace has a peer id assigned
                int space = name.indexOf(' ');
                names.add(space < 0 ? name : name.substring(0, space));
            }
        }
        return names;
    }

    public boolean namespaceExists(String ns) {
        return namespaces().contains(ns);
    }

    public void addNamespace(String ns) {
        run("netns", "add", ns);
        run("-n", ns, "link", "set", "lo", "up");
    }

    public void deleteNamespace(String ns) {
        run("netns", "delete", ns);
    }

    /** PIDs of processes whose network namespace is {@code ns}. */
    public List<Long> pidsIn(String ns) {
        List<Long> pids = new ArrayList<>();
        for (String line : run("netns", "pids", ns).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    /** A bridge that forwards at once (no STP) and floods all multicast (no snooping), so NDP is never filtered. */
    public void addBridge(String ns, String bridge) {
        run("-n", ns, "link", "add", bridge, "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
        setUp(ns, bridge, true);
    }

    /**
     * A veth pair created directly across two namespaces: {@code name} in {@code ns},
     * {@code peer} (with MAC {@code peerMac}) in {@code peerNs}. Neither end ever exists in
     * the root namespace, so names cannot collide with the machine's own links.
     */
    public void addVethPair(String ns, String name, String peerNs, String peer, String peerMac) {
        run("-n", ns, "link", "add", name, "type", "veth",
                "peer", "name", peer, "address", peerMac, "netns", peerNs);
    }

    public void setMaster(String ns, String link, String bridge) {
        run("-n", ns, "link", "set", link, "master", bridge);
    }

    public void setUp(String ns, String link, boolean up) {
        run("-n", ns, "link", "set", link, up ? "up" : "down");
    }

    /**
     * Adds a link of {@code type} (e.g. {@code dummy}); returns false when the kernel does not
     * know the type, so the caller can choose another.
     */
    public boolean addLinkOfType(String ns, String link, String type) {
        CommandResult r = Command.of(ip, "-n", ns, "link", "add", link, "type", type).run();
        if (r.succeeded()) {
            return true;
        }
        if (r.stderr().contains("Unknown device type")) {
            return false;
        }
        throw new CommandFailedException(r);
    }

    /** Adds {@code address/prefix}; IPv6 addresses skip duplicate address detection so they are usable at once. */
    public void addAddress(String ns, String link, IpAddress address, int prefix) {
        List<String> argv = new ArrayList<>(List.of("-n", ns, "addr", "add", address + "/" + prefix, "dev", link));
        if (address.family() == IpFamily.IPv6) {
            argv.add("nodad");
        }
        run(argv.toArray(String[]::new));
    }

    /** A route in {@code ns}: {@code destination} (a CIDR or {@code default}) via {@code gateway}. */
    public void addRoute(String ns, String destination, IpAddress gateway) {
        run("-n", ns, gateway.family() == IpFamily.IPv6 ? "-6" : "-4", "route", "add", destination, "via", gateway.toString());
    }

    /** Addresses on a link, as {@code address/prefix} text, e.g. {@code 198.18.0.200/32}. */
    public List<String> addresses(String ns, String link) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : json("-n", ns, "-j", "addr", "show", "dev", link)) {
            for (JsonNode a : l.path("addr_info")) {
                out.add(a.path("local").asString() + "/" + a.path("prefixlen").asInt());
            }
        }
        return out;
    }

    public Optional<String> mac(String ns, String link) {
        for (JsonNode l : json("-n", ns, "-j", "link", "show", "dev", link)) {
            return Optional.of(l.path("address").asString());
        }
        return Optional.empty();
    }

    /** Link names in a namespace. */
    public List<String> links(String ns) {
        return linkNames(json("-n", ns, "-j", "link", "show"));
    }

    /** Link names in the namespace this JVM runs in (the root namespace, normally). */
    public List<String> linksHere() {
        return linkNames(json("-j", "link", "show"));
    }

    /** Whether the link is administratively up. */
    public boolean isUp(String ns, String link) {
        for (JsonNode l : json("-n", ns, "-j", "link", "show", "dev", link)) {
            for (JsonNode f : l.path("flags")) {
                if (f.asString().equals("UP")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A permanent neighbour entry, as a test or drill pins a client to one node. */
    public void setNeighbour(String ns, String link, IpAddress address, String mac) {
        run("-n", ns, "neigh", "replace", address.toString(), "lladdr", mac, "dev", link, "nud", "permanent");
    }

    public void deleteNeighbour(String ns, String link, IpAddress address) {
        run("-n", ns, "neigh", "del", address.toString(), "dev", link);
    }

    /** The raw JSON of {@code ip -n NS -j neigh show}; see {@link NeighbourTable#parse(String)}. */
    public String neighbourJson(String ns) {
        return run("-n", ns, "-j", "neigh", "show");
    }

    /** Sets sysctls inside a namespace with one {@code sysctl -w} call; keys use dots, e.g. {@code net.ipv4.conf.all.arp_ignore}. */
    public void setSysctls(String ns, Map<String, String> values) {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        values.forEach((k, v) -> argv.add(k + "=" + v));
        exec(ns, argv).orThrow();
    }

    public String sysctl(String ns, String key) {
        return exec(ns, List.of("sysctl", "-n", key)).orThrow().stdout().strip();
    }

    /** {@code ip netns exec NS argv...} run to completion within the default bound. */
    public CommandResult exec(String ns, List<String> argv) {
        return new Command(execArgv(ns, argv), Command.DEFAULT_TIMEOUT).run();
    }

    /** The argv that runs {@code argv} inside {@code ns}; {@code ip netns exec} execs, so the PID stays the same. */
    public List<String> execArgv(String ns, List<String> argv) {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        full.addAll(argv);
        return full;
    }

    private String run(String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(ip);
        argv.addAll(Arrays.asList(args));
        return new Command(argv, Command.DEFAULT_TIMEOUT).runOrThrow();
    }

    private JsonNode json(String... args) {
        String text = run(args);
        try {
            return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " printed unreadable JSON: " + text, e);
        }
    }

    private static List<String> linkNames(JsonNode links) {
        List<String> names = new ArrayList<>();
        for (JsonNode l : links) {
            names.add(l.path("ifname").asString());
        }
        return names;
    }
}
