package dev.ferrite.lab.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's speakers map a class-data archive of their jar as the image's speaker does: dumped
 * once per jar by the JDK, mapped by a JVM with that classpath, renewed when the jar changes;
 * none for a classpath with directories.
 */
class SpeakerClassArchiveTest {

    @TempDir
    Path dir;

    @Test
    void theClassListComesWithTheLab() throws IOException {
        try (var in = SpeakerClassArchive.class.getResourceAsStream(SpeakerClassArchive.CLASS_LIST)) {
            assertTrue(in != null, SpeakerClassArchive.CLASS_LIST + " is not on the classpath");
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(lines.contains("dev/ferrite/speaker/SpeakerCommand"), "the speaker's own classes are listed");
            assertTrue(lines.contains("java/lang/Object"), "the JDK's classes are listed");
        }
    }

    @Test
    void aJarGetsAnArchiveItsJvmMapsOnceAndAnewWhenItChanges() throws Exception {
        Path jar = jar("one");
        Optional<Path> archive = SpeakerClassArchive.archiveFor(jar.toString());
        assertTrue(archive.isPresent(), "no archive for " + jar);
        assertEquals(jar.getParent(), archive.get().getParent(), "the archive lies next to its jar");
        List<String> out = mapped(archive.get(), jar.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains("Opened archive " + archive.get())), String.join("\n", out));

        FileTime dumped = Files.getLastModifiedTime(archive.get());
        assertEquals(archive, SpeakerClassArchive.archiveFor(jar.toString()), "the same jar, the same archive");
        assertEquals(dumped, Files.getLastModifiedTime(archive.get()), "not dumped again");

        jar("two, rebuilt");
        Optional<Path> next = SpeakerClassArchive.archiveFor(jar.toString());
        assertTrue(next.isPresent() && !next.equals(archive), "a rebuilt jar gets an archive of its own: " + next);
        assertFalse(Files.exists(archive.get()), "the rebuilt jar's old archive is removed");
        mapped(next.get(), jar.toString());
    }

    @Test
    void aClasspathWithDirectoriesGetsNone() throws IOException {
        Path jar = jar("one");
        assertEquals(Optional.empty(), SpeakerClassArchive.archiveFor(jar + File.pathSeparator + dir));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".jsa")), "nothing dumped");
        }
    }

    /** A jar with one text entry; written anew, it differs in size from the last. */
    private Path jar(String content) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("content.txt"));
            j.write(content.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    /** Runs a JVM that must map {@code archive} (-Xshare:on fails otherwise); its output. */
    private static List<String> mapped(Path archive, String classpath) throws Exception {
        Path log = Files.createTempFile("ferrite-cds", ".log");
        try {
            Process p = new ProcessBuilder(LabProcesses.javaBinary().toString(), "-Xshare:on", "-XX:+UseSerialGC",
                    "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=info", "-cp", classpath, "-version")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version with the archive did not finish");
            List<String> out = Files.readAllLines(log);
            assertEquals(0, p.exitValue(), "the archive does not map:\n" + String.join("\n", out));
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
