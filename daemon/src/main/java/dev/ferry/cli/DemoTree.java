package dev.ferry.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/** The files the demo generates: a sample tree, a burst of small files, a big file. */
final class DemoTree {
    /** The big file is written in pieces of this size, so the demo never holds it in memory. */
    static final int PIECE = 128 << 10;

    private DemoTree() {
    }

    /**
     * A small tree with the cases that trip sync tools: empty file, empty dir, spaces, non-ASCII, an executable, and a
     * 9 MiB file big enough to be hashed ahead while it streams. Returns the number of files.
     */
    static int writeSample(Path root) throws IOException {
        Files.createDirectories(root.resolve("notes"));
        Files.createDirectories(root.resolve("photos/2026/winter"));
        Files.createDirectories(root.resolve("empty folder"));
        Files.writeString(root.resolve("README.txt"), "Mirrored by ferry.\n");
        Files.writeString(root.resolve("notes/todo.txt"), "- run the demo\n");
        Files.writeString(root.resolve("notes/café menu.txt"), "crème brûlée\n");
        Files.write(root.resolve("notes/empty"), new byte[0]);
        byte[] photo = new byte[3 * 1024 * 1024 + 12345];
        new Random(42).nextBytes(photo);
        Files.write(root.resolve("photos/2026/winter/snow.raw"), photo);
        // big enough to stream (hashed ahead while it is sent): see FilePreparer.STREAM_MIN_BYTES
        Files.createDirectories(root.resolve("video"));
        byte[] video = new byte[9 * 1024 * 1024];
        new Random(7).nextBytes(video);
        Files.write(root.resolve("video/holiday.mp4"), video);
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho hello from ferry\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        return 7;
    }

    /** {@code count} small text files {@code file-000.txt}... in {@code dir} (made here); returns their bytes. */
    static long writeBurst(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            byte[] text = ("burst file " + i + " of " + count + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve(String.format(Locale.ROOT, "file-%03d.txt", i)), text);
            bytes += text.length;
        }
        return bytes;
    }

    /** {@code size} random bytes (nothing for the receiver to reuse), written {@link #PIECE} at a time. */
    static void writeBig(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] piece = new byte[PIECE];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += piece.length) {
                random.nextBytes(piece);
                out.write(piece, 0, (int) Math.min(piece.length, size - written));
            }
        }
    }
}
