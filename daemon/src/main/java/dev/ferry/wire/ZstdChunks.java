package dev.ferry.wire;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * zstd for one direction of one connection: compresses a chunk into a scratch buffer (the sender), or checks and
 * decompresses a CHUNK_ZSTD payload into a buffer of exactly the declared raw length (the receiver). The contexts
 * and buffers are kept for the connection's life, so a small chunk costs no allocation; {@link #close()} frees the
 * native memory (the library has no cleaner: an unclosed context leaks). Belongs to the thread of its codec, but
 * {@link #close()} may come from another (the channel's close while its reader is still in a read): a lock held
 * around each use of the contexts makes the close wait for it, and a use after the close fails.
 *
 * <p>Bounds: a payload's zstd frame must state its content size, and it must equal the chunk's declared length,
 * which the caller has already checked against the chunk limit; decompression then writes into a destination of
 * that length and fails if the data would run past it. So a hostile peer never makes the receiver allocate more
 * than one chunk's worth, whatever the payload claims or holds.
 */
final class ZstdChunks implements AutoCloseable {
    private final int level;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;
    private ZstdCompressCtx compressor;
    private ZstdDecompressCtx decompressor;
    /** Compressed output of the last {@link #compress}. */
    private ByteBuffer packed;
    /** Heap chunk data (an inline file's) copied here, as the compressor reads direct buffers only. */
    private ByteBuffer directIn;

    /** @param level the zstd level for compressing; unused when this side only decompresses */
    ZstdChunks(int level) {
        this.level = level;
    }

    /**
     * The zstd frame of {@code data}'s remaining bytes (its position stays), as a buffer valid until the next call;
     * or null when that frame would not be smaller than the data (the chunk then goes raw).
     */
    ByteBuffer compress(ByteBuffer data) {
        lock.lock();
        try {
            return closed ? null : compressLocked(data);
        } finally {
            lock.unlock();
        }
    }

    private ByteBuffer compressLocked(ByteBuffer data) {
        int length = data.remaining();
        if (length == 0) {
            return null;
        }
        if (compressor == null) {
            compressor = new ZstdCompressCtx().setLevel(level).setContentSize(true).setChecksum(false);
        }
        ByteBuffer src = data;
        int srcOffset = data.position();
        if (!data.isDirect()) {
            directIn = ensure(directIn, length);
            directIn.clear().put(0, data, data.position(), length);
            src = directIn;
            srcOffset = 0;
        }
        int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(length));
        packed = ensure(packed, bound);
        int n = compressor.compressDirectByteBuffer(packed, 0, bound, src, srcOffset, length);
        return n < length ? packed.clear().limit(n) : null;
    }

    /**
     * Decompresses {@code src}'s remaining bytes into {@code dst}, whose remaining bytes are exactly
     * {@code rawLength}; {@code dst}'s position moves past them.
     *
     * @throws ProtocolException  when the frame does not state its size, states another size than
     *                            {@code rawLength}, is damaged, or decodes to another length
     * @throws PeerClosedException when the channel was closed meanwhile
     */
    void decompress(ByteBuffer src, ByteBuffer dst, int rawLength) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new PeerClosedException("connection closed while a compressed chunk was read");
            }
            decompressLocked(src, dst, rawLength);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks that the zstd frame at {@code src}'s position states its content size and that it is {@code rawLength}
     * (reads only the frame header; {@code src}'s position stays).
     */
    static void checkStatedSize(ByteBuffer src, int rawLength) throws ProtocolException {
        long declared = contentSize(src);
        if (declared != rawLength) {
            throw new ProtocolException(ErrorCode.PROTOCOL, declared < 0
                    ? "compressed chunk: its zstd frame " + (declared == -1 ? "does not state its size" : "is malformed")
                    + " (chunk length=" + rawLength + ")"
                    : "compressed chunk: its zstd frame holds " + declared + " bytes but the chunk length=" + rawLength);
        }
    }

    private void decompressLocked(ByteBuffer src, ByteBuffer dst, int rawLength) throws ProtocolException {
        checkStatedSize(src, rawLength); // again: this method must not trust its caller
        if (decompressor == null) {
            decompressor = new ZstdDecompressCtx();
        }
        int n;
        try {
            if (src.isDirect() && dst.isDirect()) {
                n = decompressor.decompressDirectByteBuffer(dst, dst.position(), rawLength, src, src.position(), src.remaining());
            } else if (src.hasArray() && dst.hasArray()) {
                n = decompressor.decompressByteArray(dst.array(), dst.arrayOffset() + dst.position(), rawLength,
                        src.array(), src.arrayOffset() + src.position(), src.remaining());
            } else if (src.hasArray()) {
                n = decompressor.decompressByteArrayToDirectByteBuffer(dst, dst.position(), rawLength,
                        src.array(), src.arrayOffset() + src.position(), src.remaining());
            } else {
                n = decompressor.decompressDirectByteBufferToByteArray(dst.array(), dst.arrayOffset() + dst.position(),
                        rawLength, src, src.position(), src.remaining());
            }
        } catch (ZstdException e) {
            decompressor.reset();
            throw new ProtocolException(ErrorCode.PROTOCOL, "compressed chunk does not decode: " + e.getMessage()
                    + " (chunk length=" + rawLength + ")");
        }
        if (n != rawLength) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "compressed chunk decoded to " + n + " bytes, chunk length="
                    + rawLength);
        }
        dst.position(dst.position() + n);
    }

    /** The first frame's stated content size: -1 when it states none, -2 (or another negative) when malformed. */
    private static long contentSize(ByteBuffer src) {
        if (src.remaining() == 0) {
            return -2;
        }
        if (src.isDirect()) {
            return Zstd.getDirectByteBufferFrameContentSize(src, src.position(), src.remaining());
        }
        return Zstd.getFrameContentSize(src.array(), src.arrayOffset() + src.position(), src.remaining());
    }

    private static ByteBuffer ensure(ByteBuffer b, int capacity) {
        if (b != null && b.capacity() >= capacity) {
            return b.clear();
        }
        return ByteBuffer.allocateDirect(Math.max(capacity, 64 * 1024));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (compressor != null) {
                compressor.close();
            }
            if (decompressor != null) {
                decompressor.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
