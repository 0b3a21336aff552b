package dev.ferry.receive;

import dev.ferry.hash.ChunkDigester;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where one incoming file's partial file and its {@link PartialSidecar} live: {@code <root>/.ferry/partial/<h>.part}
 * and {@code <h>.side}, {@code h} the XXH3-128 of the file's relative path in hex. The names follow the path (not
 * a random name) so that a later attempt finds them again. Every name of the partial folder is built or parsed
 * here, so that what one part writes another part finds (and removes). Immutable; any thread.
 *
 * @param data    the partial file the chunks are written into
 * @param sidecar the record of which of its chunks are durable (only resumable files have one)
 */
record PartialPaths(Path data, Path sidecar) {
    private static final String DATA_SUFFIX = ".part";
    private static final String SIDECAR_SUFFIX = ".side";

    /** The folder of partial files and sidecars under a folder root. */
    static Path dir(Path root) {
        return root.resolve(SafePaths.STATE_DIR).resolve("partial");
    }

    /** The partial file and sidecar of {@code relativePath} under {@code root}. */
    static PartialPaths of(Path root, String relativePath) {
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        String base = HexFormat.of().formatHex(ChunkDigester.of(HashAlgorithm.XXH3_128).digest(path, 0, path.length));
        return inDir(dir(root), base);
    }

    /** The pair a partial file (named {@code <h>.part}) belongs to. */
    static PartialPaths ofData(Path data) {
        return inDir(data.getParent(), baseName(data, DATA_SUFFIX));
    }

    /** The pair a sidecar (named {@code <h>.side}) belongs to. */
    static PartialPaths ofSidecar(Path sidecar) {
        return inDir(sidecar.getParent(), baseName(sidecar, SIDECAR_SUFFIX));
    }

    /**
     * The partial files under a folder root now, those of transfers in progress included; 0 when there is no
     * partial folder or it cannot be read (status is best effort).
     */
    static long count(Path root) {
        Path dir = dir(root);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> isData(p))) {
            long n = 0;
            for (Path ignored : entries) {
                n++;
            }
            return n;
        } catch (IOException | DirectoryIteratorException e) {
            return 0;
        }
    }

    static boolean isData(Path p) {
        return p.getFileName().toString().endsWith(DATA_SUFFIX);
    }

    static boolean isSidecar(Path p) {
        return p.getFileName().toString().endsWith(SIDECAR_SUFFIX);
    }

    private static PartialPaths inDir(Path dir, String base) {
        return new PartialPaths(dir.resolve(base + DATA_SUFFIX), dir.resolve(base + SIDECAR_SUFFIX));
    }

    private static String baseName(Path p, String suffix) {
        String name = p.getFileName().toString();
        if (!name.endsWith(suffix)) {
            throw new IllegalArgumentException("'" + name + "' does not end with " + suffix);
        }
        return name.substring(0, name.length() - suffix.length());
    }
}
