package dev.ferrite.speaker.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A recording stand-in for {@code nft} and {@code ip}: every command line goes to
 * {@code DIR/log}, followed by what was fed on stdin to {@code nft -f -} and {@code ip -batch -}
 * (indented by two spaces); the forwarding sysctls read 1 (IPv6's as asked).
 */
public final class RecordingCommands {

    private RecordingCommands() {
    }

    /** Commands run through the stand-in, written to {@code dir}; the log is {@code dir/log}. */
    public static HandoffCommands in(Path dir, boolean ipv6Forwarding) throws IOException {
        Path script = dir.resolve("fake.sh");
        Path log = dir.resolve("log");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + log + "\n"
                + "case \"$*\" in *' -f -'|*'-batch -') sed 's/^/  /' >> " + log + ";; *ip_forward) echo 1;;"
                + " */forwarding) echo " + (ipv6Forwarding ? 1 : 0) + ";; esac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new HandoffCommands(List.of(script.toString()));
    }
}
