package dev.ferrite.lab.process;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.CommandResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data archive a lab speaker run from a jar maps, as the image's speaker maps
 * {@code /opt/ferrite/ferrite.jsa} (deploy/Dockerfile): the classes of
 * deploy/image/speaker.classlist, parsed and verified once, dumped by the JDK for this
 * classpath. The JDK maps an archive only for the classpath it was dumped with, so each jar
 * gets its own, once, next to the jar (a rebuilt jar gets a new one and the old goes).
 * A classpath with directories (the tests') cannot be archived; its speakers run without.
 */
public final class SpeakerClassArchive {

    private static final Logger LOG = LoggerFactory.getLogger(SpeakerClassArchive.class);

    /** The class list, a copy of deploy/image/speaker.classlist in the lab's jar. */
    static final String CLASS_LIST = "/dev/ferrite/lab/speaker.classlist";
    /** The dump of about 5,000 classes takes 5-10 s on a loaded two-core machine. */
    private static final Duration DUMP_BOUND = Duration.ofSeconds(120);
    private static final String PREFIX = "ferrite-speaker-";

    private SpeakerClassArchive() {
    }

    /**
     * The options that make a speaker of this JVM's classpath map its archive (dumped first if
     * need be); none when it cannot have one.
     */
    public static List<String> jvmOptions() {
        return archiveFor(System.getProperty("java.class.path")).map(a -> List.of("-XX:SharedArchiveFile=" + a))
                .orElse(List.of());
    }

    /** The archive of {@code classpath}, dumped now unless it exists; empty (logged) when none can be had. */
    static synchronized Optional<Path> archiveFor(String classpath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p) || !entry.endsWith(".jar")) {
                LOG.debug("no class-data archive for lab speakers: classpath entry {} is not a jar", entry);
                return Optional.empty();
            }
            jars.add(p.toAbsolutePath());
        }
        byte[] list = classList();
        if (jars.isEmpty() || list == null) {
            return Optional.empty();
        }
        Path dir = jars.get(0).getParent();
        Path archive = dir.resolve(PREFIX + key(jars, list) + ".jsa");
        if (Files.isRegularFile(archive)) {
            return Optional.of(archive);
        }
        try {
            dump(classpath, list, archive);
            removeOthers(dir, archive);
            return Optional.of(archive);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("lab speakers run without a class-data archive: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static byte[] classList() {
        try (InputStream in = SpeakerClassArchive.class.getResourceAsStream(CLASS_LIST)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASS_LIST, e);
        }
    }

    /** Names the jars' contents as the JDK checks them (path, size, modification time) and the list. */
    private static String key(List<Path> jars, byte[] list) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path jar : jars) {
                sha.update((jar + "\0" + Files.size(jar) + "\0" + Files.getLastModifiedTime(jar).toMillis() + "\0")
                        .getBytes(StandardCharsets.UTF_8));
            }
            sha.update(list);
            sha.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void dump(String classpath, byte[] list, Path archive) throws IOException {
        Path listFile = Files.createTempFile(archive.getParent(), PREFIX, ".classlist");
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.write(listFile, list);
            long started = System.nanoTime();
            // the speaker's collector, as deploy/Dockerfile dumps it
            CommandResult r = new Command(List.of(LabProcesses.javaBinary().toString(), "-Xshare:dump", "-XX:+UseSerialGC",
                    "-XX:SharedClassListFile=" + listFile, "-XX:SharedArchiveFile=" + partial, "-cp", classpath), DUMP_BOUND)
                    .run();
            if (!r.succeeded() || !Files.isRegularFile(partial)) {
                List<String> out = (r.stdout() + r.stderr()).lines().toList();
                throw new IOException(r.timedOut() ? r.describe() : "dumping " + archive + " failed (exit " + r.exitCode()
                        + "): " + String.join(" | ", out.subList(Math.max(0, out.size() - 3), out.size())));
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("dumped the lab speakers' class-data archive {} in {} ms", archive,
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            Files.deleteIfExists(listFile);
            Files.deleteIfExists(partial);
        }
    }

    /** Archives of earlier builds of the jar: 40-odd MB each. */
    private static void removeOthers(Path dir, Path keep) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, PREFIX + "*.jsa")) {
            for (Path p : old) {
                if (!p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
