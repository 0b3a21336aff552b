package dev.ferry.push;

import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The chunk being sent, and what checks it: read from the file into one direct buffer (written to the socket
 * without a copy) or taken from an inline file's content, its CRC32C for the CHUNK frame, its strong hash for a
 * streamed file. Allocated once per session; used by the writer thread only.
 */
final class ChunkBuffer {
    private final int chunkSize;
    private final ByteBuffer buffer;
    private final ChunkDigester digester;
    private final CRC32C crc = new CRC32C();

    ChunkBuffer(int chunkSize, HashAlgorithm algorithm) {
        this.chunkSize = chunkSize;
        this.buffer = ByteBuffer.allocateDirect(chunkSize);
        this.digester = ChunkDigester.of(algorithm);
    }

    /** Chunk {@code index} of {@code f}, {@code length} bytes: valid until the next call. */
    ByteBuffer read(OutgoingFile f, int index, int length) throws IOException {
        if (f.inlineData != null) {
            return ByteBuffer.wrap(f.inlineData, index * chunkSize, length);
        }
        FileHasher.readFully(f.source(), buffer, length, (long) index * chunkSize, f.entry.local());
        return buffer;
    }

    /** The strong hash of the chunk last {@link #read} from a file, into {@code out}. */
    void hash(byte[] out) {
        digester.digest(buffer, out, 0);
    }

    /** The CRC32C of {@code data}'s remaining bytes (its position stays). */
    int crc(ByteBuffer data) {
        crc.reset();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }
}
