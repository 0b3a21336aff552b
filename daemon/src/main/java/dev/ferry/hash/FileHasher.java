package dev.ferry.hash;

import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads a file once, chunk by chunk, and returns its {@link FileDigest}. Runs on the caller's thread. */
public final class FileHasher {
    private final ChunkDigester digester;
    private final int chunkSize;
    private final byte[] buffer;

    public FileHasher(HashAlgorithm algorithm, int chunkSize) {
        this.digester = ChunkDigester.of(algorithm);
        this.chunkSize = chunkSize;
        this.buffer = new byte[chunkSize];
    }

    /**
     * Hashes {@code file} at the size it has when opened.
     *
     * @throws IOException also when the file shrinks while it is read ("changed while being read")
     */
    public FileDigest hash(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return hash(ch, ch.size(), file);
        }
    }

    public FileDigest hash(FileChannel ch, long size, Path nameForErrors) throws IOException {
        int count = FileDigest.chunkCount(size, chunkSize);
        int d = digester.algorithm().digestLength();
        byte[] hashes = new byte[Math.multiplyExact(count, d)];
        for (int i = 0; i < count; i++) {
            int len = FileDigest.chunkLength(size, chunkSize, i);
            readFully(ch, buffer, len, (long) i * chunkSize, nameForErrors);
            digester.digest(buffer, 0, len, hashes, i * d);
        }
        return FileDigest.of(digester.algorithm(), chunkSize, size, hashes);
    }

    /** Positional read of exactly {@code len} bytes at {@code position} into {@code buf[0, len)}. */
    public static void readFully(FileChannel ch, byte[] buf, int len, long position, Path nameForErrors) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            int n = ch.read(bb, position + bb.position());
            if (n < 0) {
                throw new IOException(nameForErrors + " changed while being read: ended at " + (position + bb.position())
                        + " bytes, expected " + (position + len));
            }
        }
    }
}
