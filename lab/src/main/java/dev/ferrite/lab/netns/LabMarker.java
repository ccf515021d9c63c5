package dev.ferrite.lab.netns;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Ownership of a lab's names, recorded as a marker file {@code <root>/<labName>/owner}
 * (root {@code /run/ferrite-lab}: tmpfs, so a reboot, which also drops every namespace,
 * drops the markers too). The marker holds the owner's PID and start time and the list of
 * namespaces it creates.
 *
 * <p>Why a marker rather than a naming convention with a PID in the name: namespace names
 * stay short and stable ({@code ferrite-k3x9q2-node1} is what logs and the operator see),
 * the marker directory is created atomically so two processes cannot claim the same lab id,
 * and a marker left by a process that died (kill -9) still says which namespaces it made,
 * so a later run can tell leftovers from foreign namespaces and remove only the former.
 */
public record LabMarker(Path dir, LabOwner owner, List<String> namespaces) {

    public static final Path DEFAULT_ROOT = Path.of("/run/ferrite-lab");
    private static final String FILE = "owner";

    public LabMarker {
        namespaces = List.copyOf(namespaces);
    }

    /** Outcome of trying to claim a lab name. */
    public sealed interface Claim {
        record Claimed(LabMarker marker) implements Claim {
        }

        /** Someone already holds it; {@code existing} is their marker when it could be read. */
        record Taken(Optional<LabMarker> existing) implements Claim {
        }
    }

    /** Creates the marker directory atomically and writes the owner file into it. */
    public static Claim claim(Path root, String labName, LabOwner owner, List<String> namespaces) {
        Path dir = root.resolve(labName);
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return new Claim.Taken(read(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lab marker directory " + dir, e);
        }
        LabMarker marker = new LabMarker(dir, owner, namespaces);
        marker.write();
        return new Claim.Claimed(marker);
    }

    public static Optional<LabMarker> read(Path dir) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8)));
            LabOwner owner = new LabOwner(Long.parseLong(p.getProperty("pid")), Long.parseLong(p.getProperty("start")));
            String ns = p.getProperty("namespaces", "").trim();
            return Optional.of(new LabMarker(dir, owner, ns.isEmpty() ? List.of() : List.of(ns.split("\\s+"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Markers under {@code root} whose directory name starts with {@code prefix}. */
    public static List<LabMarker> all(Path root, String prefix) {
        List<LabMarker> markers = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path d : dirs) {
                read(d).ifPresent(markers::add);
            }
        } catch (IOException e) {
            // no marker root yet: no labs
        }
        return markers;
    }

    public String labName() {
        return dir.getFileName().toString();
    }

    /** Removes the owner file and the directory (logs or captures the caller put there stay). */
    public void release() {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
            try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
                if (!rest.iterator().hasNext()) {
                    Files.deleteIfExists(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove lab marker " + dir, e);
        }
    }

    private void write() {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(owner.pid()));
        p.setProperty("start", Long.toString(owner.startTicks()));
        p.setProperty("namespaces", String.join(" ", namespaces));
        StringWriter text = new StringWriter();
        try {
            p.store(text, "Ferrite lab owner; the lab removes this file when it tears down");
            Files.writeString(dir.resolve(FILE), text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lab marker " + dir, e);
        }
    }
}
