package dev.ferry.cli;

import dev.ferry.disk.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the demo keeps everything: {@code source/} (watched), {@code target/} (the receiver's folder 'demo'),
 * {@code staging/} (a big file is written there, then moved in), {@code state/} (journals, index), {@code token}
 * (mode 600) and {@code ferry.yaml} (the demo as a config, for trying it by hand). {@code bin/lib/jdk.sh} trains its
 * start-up caches on {@code source/} and {@code token} of {@code ferry demo --dir DIR}.
 *
 * @param base      the folder itself
 * @param temporary made by the demo in the temp folder (rather than given with {@code --dir})
 */
record DemoFolder(Path base, boolean temporary) {

    /** Makes the folder ({@code dir}, or a new temp folder when null) with its sub-folders and a fresh token. */
    static DemoFolder create(Path dir) throws IOException {
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ferry-demo-");
        DemoFolder folder = new DemoFolder(base.toAbsolutePath(), dir == null);
        Files.createDirectories(folder.source());
        Files.createDirectories(folder.target());
        Files.createDirectories(folder.staging());
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        // made owner-only, then written: the secret is never in a file others may read, even for a moment
        Files.createFile(folder.token(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(folder.token(), Base64.getEncoder().encodeToString(secret) + "\n");
        return folder;
    }

    Path source() {
        return base.resolve("source");
    }

    Path target() {
        return base.resolve("target");
    }

    Path staging() {
        return base.resolve("staging");
    }

    Path state() {
        return base.resolve("state");
    }

    Path token() {
        return base.resolve("token");
    }

    Path config() {
        return base.resolve("ferry.yaml");
    }

    /**
     * Writes {@code ferry.yaml}: this demo as one {@code ferry daemon} that receives into {@code target/} on
     * 127.0.0.1:{@code port} and mirrors {@code source/} into it.
     */
    void writeConfig(int port) throws IOException {
        Files.writeString(config(), """
                # Written by ferry demo: the demo as one daemon that receives into target/ and mirrors source/ into it.
                # Run it with:  ferry daemon --config %1$s
                # On 127.0.0.1 only, so in the clear with a token (between hosts, give each an identity: ferry keygen DIR).
                transport: plaintext
                state-dir: %2$s
                receive:
                  listen: 127.0.0.1:%3$d
                  token-file: %4$s
                  folders:
                    demo:
                      path: %5$s
                sync:
                  - source: %6$s
                    targets: [ "ferry://127.0.0.1:%3$d/demo" ]
                    token-file: %4$s
                """.formatted(config(), quoted(state()), port, quoted(token()), quoted(target()), quoted(source())));
    }

    /** A YAML double-quoted scalar: a folder given with --dir may hold spaces or a '#'. */
    private static String quoted(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Removes the folder and everything in it (symlinks are removed, never followed). */
    void delete() throws IOException {
        Directories.deleteTree(base);
    }
}
