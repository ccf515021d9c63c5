package dev.ferrite.controller.statusview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kubectl-ferrite} script at the repository root, run through a symlink on a
 * PATH-like directory as kubectl runs plugins, with a stand-in {@code java} that prints the
 * arguments it got: the script must find the jar and pass every argument through unchanged.
 */
class KubectlPluginLauncherTest {

    /** Surefire runs tests in the module directory; the script is one level up. */
    private static final Path SCRIPT = Path.of("..", "kubectl-ferrite").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    private Path fakeJavaHome() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("jdk");
    }

    private Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("FERRITE_JAR");
        pb.environment().remove("FERRITE_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", fakeJavaHome().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl-ferrite did not finish within 30 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A copy of the script in {@code home} with a symlink to it in {@code bin}, as the install line makes. */
    private Path install(Path home) throws IOException {
        Files.createDirectories(home);
        Path script = Files.copy(SCRIPT, home.resolve("kubectl-ferrite"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        return Files.createSymbolicLink(bin.resolve("kubectl-ferrite"), script);
    }

    @Test
    void scriptIsExecutable() {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable for kubectl to run it");
    }

    @Test
    void findsTheJarOfTheCheckoutThroughTheSymlinkAndPassesArgumentsThrough() throws Exception {
        Path checkout = dir.resolve("checkout");
        Path jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("ferrite.jar");
        Files.writeString(jar, "");
        Result r = run(install(checkout), Map.of(), "status", "-o", "json", "--kubeconfig", "/tmp/a b");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("-jar", jar.toRealPath().toString(), "status", "-o", "json", "--kubeconfig", "/tmp/a b"),
                r.out().lines().toList());
    }

    @Test
    void aJarNextToTheScriptWinsOverTheCheckoutOne() throws Exception {
        Path release = dir.resolve("release");
        Files.createDirectories(release.resolve("cli/target"));
        Files.writeString(release.resolve("cli/target/ferrite.jar"), "");
        Path jar = release.resolve("ferrite.jar");
        Files.writeString(jar, "");
        Result r = run(install(release), Map.of(), "status");
        assertEquals(List.of("-jar", jar.toRealPath().toString(), "status"), r.out().lines().toList());
    }

    @Test
    void ferriteJarVariableWinsOverEverything() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("ferrite.jar"), "");
        Path chosen = dir.resolve("elsewhere.jar");
        Files.writeString(chosen, "");
        Result r = run(install(home), Map.of("FERRITE_JAR", chosen.toString()), "version");
        assertEquals(List.of("-jar", chosen.toString(), "version"), r.out().lines().toList());
    }

    @Test
    void noJarIsOneLineNamingWhereItLooked() throws Exception {
        Result r = run(install(dir.resolve("empty")), Map.of(), "status");
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cli/target/ferrite.jar"), r.err());
    }
}
