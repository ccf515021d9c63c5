package dev.ferrite.lab.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks, before the lab touches anything, that this machine can run it: root (namespaces
 * and links need CAP_NET_ADMIN, and the simplest honest requirement is root), iproute2's
 * {@code ip}, {@code sysctl} (strict ARP on the nodes), libpcap (the speakers send ARP
 * through pcap4j) and the {@link #TOOLS} the lab runs inside its namespaces. The decision is
 * pure ({@link #evaluate(Facts)}); reading the machine is {@link #readFacts()}.
 */
public final class LabPreflight {

    /** A program the lab runs, the Debian package that has it, and what the lab does with it. */
    public record Tool(String binary, String debianPackage, String usedFor) {
    }

    /** Programs the lab runs besides {@code ip} and {@code sysctl}. */
    public static final List<Tool> TOOLS = List.of(
            new Tool("tcpdump", "tcpdump", "the drill watches ARP answers on the client with it"),
            new Tool("ping", "iputils-ping", "the drill makes the client resolve each VIP with it"),
            new Tool("nft", "nftables", "the kube-proxy stand-in writes its rules with it"),
            new Tool("conntrack", "conntrack", "the lab clears a restarted node's connection table with it"));

    /** What the checks look at; {@code tools} holds the binaries of {@link #TOOLS} found. */
    public record Facts(long effectiveUid, Optional<String> ip, Optional<String> sysctl,
                        boolean libpcap, boolean aptGet, Set<String> tools) {
        public Facts {
            tools = Set.copyOf(tools);
        }
    }

    /** One reason the lab cannot run, with the Debian package that fixes it when there is one. */
    public record Problem(String message, Optional<String> debianPackage) {
        @Override
        public String toString() {
            return message;
        }
    }

    private static final List<String> BIN_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");
    private static final List<String> LIB_DIRS = List.of("/usr/lib", "/lib", "/usr/lib64", "/lib64", "/usr/local/lib");

    private LabPreflight() {
    }

    public static List<Problem> evaluate(Facts facts) {
        List<Problem> problems = new ArrayList<>();
        if (facts.effectiveUid() != 0) {
            problems.add(new Problem("the lab must run as root (effective uid is " + facts.effectiveUid()
                    + "): it creates network namespaces, links and a bridge; run it with sudo", Optional.empty()));
        }
        if (facts.ip().isEmpty()) {
            problems.add(missing("iproute2's ip command not found", "iproute2"));
        }
        if (facts.sysctl().isEmpty()) {
            problems.add(missing("sysctl not found (strict ARP is set on each node with it)", "procps"));
        }
        if (!facts.libpcap()) {
            problems.add(missing("libpcap not found (the speakers send ARP and NDP through it)", "libpcap0.8"));
        }
        for (Tool t : TOOLS) {
            if (!facts.tools().contains(t.binary())) {
                problems.add(missing(t.binary() + " not found (" + t.usedFor() + ")", t.debianPackage()));
            }
        }
        return problems;
    }

    /**
     * Refuses (a {@link LabRefusedException} naming every problem) when the lab cannot run;
     * as root on Debian, installs the missing packages first and checks again.
     */
    public static void ensure(Consumer<String> progress) {
        List<Problem> problems = check();
        if (problems.isEmpty()) {
            return;
        }
        boolean fixable = isRoot() && problems.stream().allMatch(p -> p.debianPackage().isPresent());
        if (fixable) {
            progress.accept("installing missing packages: " + problems.stream().map(p -> p.debianPackage().get()).toList());
            Optional<CommandResult> result = installMissing(problems);
            if (result.isPresent() && result.get().succeeded()) {
                problems = check();
                if (problems.isEmpty()) {
                    return;
                }
            }
        }
        throw new LabRefusedException("lab refused to start: "
                + String.join("; ", problems.stream().map(Problem::message).toList()));
    }

    /** Problems on this machine now; empty means the lab can run. */
    public static List<Problem> check() {
        return evaluate(readFacts());
    }

    public static Facts readFacts() {
        Set<String> tools = new LinkedHashSet<>();
        TOOLS.stream().filter(t -> findBinary(t.binary()).isPresent()).forEach(t -> tools.add(t.binary()));
        return new Facts(effectiveUid(), findBinary("ip"), findBinary("sysctl"), libpcapPresent(),
                findBinary("apt-get").isPresent(), tools);
    }

    /** The {@code ip} binary, or an exception telling the operator which package to install. */
    public static String findIp() {
        return findBinary("ip").orElseThrow(() ->
                new IllegalStateException("iproute2's ip command not found: apt-get install -y iproute2"));
    }

    /** Installs whatever {@link #check()} finds missing; see {@link #installMissing(List)}. */
    public static Optional<CommandResult> installMissing() {
        return installMissing(check());
    }

    /**
     * Installs the Debian packages behind {@code problems} with apt-get (update first). Only
     * when root and apt-get exists; returns the install command's result, or empty when there
     * is nothing apt-get can fix.
     */
    public static Optional<CommandResult> installMissing(List<Problem> problems) {
        Facts facts = readFacts();
        Set<String> packages = new LinkedHashSet<>();
        problems.forEach(p -> p.debianPackage().ifPresent(packages::add));
        if (packages.isEmpty() || facts.effectiveUid() != 0 || !facts.aptGet()) {
            return Optional.empty();
        }
        String aptGet = findBinary("apt-get").orElseThrow();
        Duration bound = Duration.ofMinutes(5);
        CommandResult update = new Command(List.of(aptGet, "update"), bound).run();
        if (!update.succeeded()) {
            return Optional.of(update);
        }
        List<String> install = new ArrayList<>(List.of(aptGet, "install", "-y"));
        install.addAll(packages);
        return Optional.of(new Command(install, bound).run());
    }

    /** Parses the effective uid out of {@code /proc/self/status} ("Uid: real effective saved fs"). */
    public static long uidFromStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                return Long.parseLong(f[1]);
            }
        }
        throw new IllegalArgumentException("no Uid line in process status");
    }

    public static long effectiveUid() {
        try {
            return uidFromStatus(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return -1;
        }
    }

    public static boolean isRoot() {
        return effectiveUid() == 0;
    }

    public static Optional<String> findBinary(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(BIN_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean libpcapPresent() {
        for (String dir : LIB_DIRS) {
            Path base = Path.of(dir);
            if (hasLibpcap(base)) {
                return true;
            }
            // Debian multiarch: /usr/lib/x86_64-linux-gnu and friends
            try (DirectoryStream<Path> subs = Files.newDirectoryStream(base, "*-linux-*")) {
                for (Path sub : subs) {
                    if (hasLibpcap(sub)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // directory absent on this distribution
            }
        }
        return false;
    }

    private static boolean hasLibpcap(Path dir) {
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(dir, "libpcap.so*")) {
            return libs.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static Problem missing(String what, String pkg) {
        return new Problem(what + ": apt-get install -y " + pkg, Optional.of(pkg));
    }
}
