package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsAnErrorNamingTheFileAndTheWayOut() {
        Path f = dir.resolve("secretkey");
        SecretFile.Result.Failed failed = assertInstanceOf(SecretFile.Result.Failed.class, SecretFile.load(f));
        assertTrue(failed.message().contains(f.toString()));
        assertTrue(failed.message().contains("--insecure-membership"));
    }

    @Test
    void emptyOrBlankFileIsAnError() throws Exception {
        Path f = Files.writeString(dir.resolve("secretkey"), "\n");
        SecretFile.Result.Failed failed = assertInstanceOf(SecretFile.Result.Failed.class, SecretFile.load(f));
        assertTrue(failed.message().contains("is empty"));
    }

    @Test
    void trailingNewlineIsNotPartOfTheSecret() throws Exception {
        Path f = Files.writeString(dir.resolve("secretkey"), "s3cr3t-value\n");
        SecretFile.Result.Loaded loaded = assertInstanceOf(SecretFile.Result.Loaded.class, SecretFile.load(f));
        assertArrayEquals("s3cr3t-value".getBytes(StandardCharsets.UTF_8), loaded.secret().key());
    }

    @Test
    void speakerWithoutSecretRefusesUnlessInsecureIsRequested() {
        SecretFile.Result.Failed refused = assertInstanceOf(SecretFile.Result.Failed.class,
                SecretFile.forSpeaker(null, false));
        assertTrue(refused.message().contains("--insecure-membership"));
        SecretFile.Result.Loaded insecure = assertInstanceOf(SecretFile.Result.Loaded.class,
                SecretFile.forSpeaker(null, true));
        assertInstanceOf(MembershipSecret.Insecure.class, insecure.secret());
    }

    @Test
    void configuredSecretFileWinsOverInsecureMode() throws Exception {
        Path f = Files.writeString(dir.resolve("secretkey"), "abc");
        SecretFile.Result.Loaded loaded = assertInstanceOf(SecretFile.Result.Loaded.class, SecretFile.forSpeaker(f, true));
        assertInstanceOf(MembershipSecret.Shared.class, loaded.secret());
    }
}
