package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.FdChannel;
import dev.ferry.disk.Stat;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where one incoming file's partial file and its {@link PartialSidecar} live: {@code .ferry/partial/<h>.part}
 * and {@code <h>.side} under the folder root, {@code h} the XXH3-128 of the file's relative path in hex. The names
 * follow the path (not a random name) so that a later attempt finds them again. Every name of the partial folder is
 * built or parsed here, so that what one part writes another part finds (and removes); every use of them goes
 * through the folder's {@link Beneath}, like the peer's own paths. Immutable; any thread.
 *
 * @param folder  the folder root they are beneath
 * @param data    the partial file the chunks are written into, relative to the root
 * @param sidecar the record of which of its chunks are durable (only resumable files have one), relative to the root
 */
record PartialPaths(Beneath folder, String data, String sidecar) {
    /** The partial folder, relative to the root. */
    static final String DIR = SafePaths.STATE_DIR + "/partial";
    private static final String DATA_SUFFIX = ".part";
    private static final String SIDECAR_SUFFIX = ".side";

    /** The partial file and sidecar of {@code relativePath} in {@code folder}. */
    static PartialPaths of(Beneath folder, String relativePath) {
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        String base = HexFormat.of().formatHex(ChunkDigester.of(HashAlgorithm.XXH3_128).digest(path, 0, path.length));
        return inDir(folder, base);
    }

    /** The pair a partial file (named {@code <h>.part}) belongs to. */
    static PartialPaths ofData(Beneath folder, String name) {
        return inDir(folder, baseName(name, DATA_SUFFIX));
    }

    /** The pair a sidecar (named {@code <h>.side}) belongs to. */
    static PartialPaths ofSidecar(Beneath folder, String name) {
        return inDir(folder, baseName(name, SIDECAR_SUFFIX));
    }

    /** Opens (or creates) the partial file. */
    FdChannel openData(Beneath.Access access) throws IOException {
        return open(data, access);
    }

    /** Opens (or creates) the sidecar. */
    FdChannel openSidecar(Beneath.Access access) throws IOException {
        return open(sidecar, access);
    }

    /** The partial folder is made when a create finds it missing (not looked for first: two calls per file saved). */
    private FdChannel open(String rel, Beneath.Access access) throws IOException {
        try {
            return folder.openFile(rel, access);
        } catch (NoSuchFileException e) {
            if (access != Beneath.Access.CREATE_EMPTY) {
                throw e;
            }
            folder.mkdirs(DIR);
            return folder.openFile(rel, access);
        }
    }

    /** The earlier attempt's sidecar; null if there is none or it is unusable. */
    PartialSidecar.Contents readSidecar() throws IOException {
        Stat s = folder.stat(sidecar);
        if (s == null || !s.isFile()) {
            return null;
        }
        try (FdChannel ch = folder.openFile(sidecar, Beneath.Access.READ)) {
            return PartialSidecar.read(ch);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Size of the data file on disk now, or -1 if there is none. */
    long dataSize() {
        try {
            Stat s = folder.stat(data);
            return s == null || !s.isFile() ? -1 : s.size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Removes both, as far as they exist. */
    void delete() throws IOException {
        folder.deleteFile(data);
        folder.deleteFile(sidecar);
    }

    /** The partial file as a path, for tests and messages (never for access: see {@link #openData}). */
    Path dataPath() {
        return folder.root().resolve(data);
    }

    /** The sidecar as a path, for tests and messages. */
    Path sidecarPath() {
        return folder.root().resolve(sidecar);
    }

    /**
     * The partial files under a folder root now, those of transfers in progress included; 0 when there is no
     * partial folder or it cannot be read (status is best effort, and only counts names).
     */
    static long count(Path root) {
        Path dir = root.resolve(DIR);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> isData(p.getFileName().toString()))) {
            long n = 0;
            for (Path ignored : entries) {
                n++;
            }
            return n;
        } catch (IOException | DirectoryIteratorException e) {
            return 0;
        }
    }

    static boolean isData(String name) {
        return name.endsWith(DATA_SUFFIX);
    }

    static boolean isSidecar(String name) {
        return name.endsWith(SIDECAR_SUFFIX);
    }

    private static PartialPaths inDir(Beneath folder, String base) {
        return new PartialPaths(folder, DIR + "/" + base + DATA_SUFFIX, DIR + "/" + base + SIDECAR_SUFFIX);
    }

    private static String baseName(String name, String suffix) {
        if (!name.endsWith(suffix)) {
            throw new IllegalArgumentException("'" + name + "' does not end with " + suffix);
        }
        return name.substring(0, name.length() - suffix.length());
    }
}
