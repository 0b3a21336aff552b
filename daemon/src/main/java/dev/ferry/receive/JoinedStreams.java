package dev.ferry.receive;

import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's joined streams: JOIN attaches an id of this connection to a file another connection of the same
 * sender offered and SHAREd ({@link SharedFiles}); each CHUNK with that id, preceded by a HASHES of its one hash,
 * is checked (CRC32C, then its hash) and written at its offset into that file's partial file ({@link SharedFile});
 * its ACK goes out on this connection once the chunk is durable in the partial file and its sidecar. A stream that
 * goes wrong (no such file, another peer's, a chunk outside the file, the file committed meanwhile) is answered
 * with ERROR and its id, and the session goes on; its chunks still in flight are dropped quietly. Runs on the
 * session's thread; the ids are the session's ({@link SessionFiles}).
 */
final class JoinedStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JoinedStreams.class);
    /** Hashes announced and not yet used by their chunk: a sender sends each right before its chunk. */
    static final int MAX_HASHES_AHEAD = 64;
    /** Joined streams one session holds at once (an honest sender joins one per big file in flight). */
    static final int MAX_STREAMS = 64;

    /** One joined stream: its file, the hashes announced for chunks on their way, the chunks not yet durable. */
    private static final class Stream {
        final SharedFile file;
        final ChunkDigester digester;
        final Map<Integer, byte[]> hashesAhead = new HashMap<>();
        /** Written and not yet durable, by index: their hashes. */
        final TreeMap<Integer, byte[]> notDurable = new TreeMap<>();

        Stream(SharedFile file) {
            this.file = file;
            this.digester = ChunkDigester.of(file.algorithm());
        }
    }

    private final FrameChannel channel;
    private final ReceiverShared shared;
    private final String folder;
    private final String peer;
    private final SessionFiles ids;
    private final Map<Integer, Stream> streams = new HashMap<>();
    private final CRC32C crc = new CRC32C();
    private final AckBatcher acks;
    private final AckBatcher.Released released = new AckBatcher.Released() {
        @Override
        public void durable(Frame.Ack ack) throws IOException {
            if (streams.containsKey(ack.fileId())) {
                channel.write(ack);
            }
        }

        @Override
        public void failed(int id, FileFailure failure) throws IOException {
            if (streams.containsKey(id)) {
                fail(id, failure);
            }
        }
    };

    /**
     * @param peer who the authenticated peer is: a JOIN finds only a file the same peer shared
     * @param wake wakes the session's thread when held ACKs were released
     */
    JoinedStreams(FrameChannel channel, ReceiverShared shared, String folder, String peer, SessionFiles ids, Runnable wake) {
        this.channel = channel;
        this.shared = shared;
        this.folder = folder;
        this.peer = peer;
        this.ids = ids;
        this.acks = new AckBatcher("ferry-durable-joined-" + channel.peer(), wake, this::takeNotDurable);
    }

    /** Whether {@code id} is a joined stream of this session. */
    boolean owns(int id) {
        return streams.containsKey(id);
    }

    void join(Frame.Join j) throws IOException {
        if (ids.used(j.fileId())) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "JOIN reuses fileId=" + j.fileId());
        }
        try {
            endClosedStreams();
            if (streams.size() >= MAX_STREAMS) {
                throw new FileFailure(ErrorCode.BUSY, "this connection has " + MAX_STREAMS + " joined streams already");
            }
            SafePaths.segments(j.path());
            SharedFile file = shared.sharedFiles().find(folder, j.path(), j.key(), peer);
            streams.put(j.fileId(), new Stream(file));
            ids.joined(j.fileId());
            shared.stats().streamsJoined.incrementAndGet();
            log.debug("joined folder={} path={} peer={} id={}", folder, SafePaths.printable(j.path()), channel.peer(), j.fileId());
        } catch (BadPathException e) {
            shared.stats().pathsRefused.incrementAndGet();
            refuse(j.fileId(), j.path(), new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            refuse(j.fileId(), j.path(), e);
        }
    }

    /** HASHES for a joined stream: the hash of the chunk that follows. */
    void hashes(Frame.Hashes h) throws IOException {
        Stream s = streams.get(h.fileId());
        SharedFile f = s.file;
        int d = f.algorithm().digestLength();
        if (h.algorithm() != f.algorithm() || h.firstIndex() + (long) h.count() > f.chunkCount()
                || s.hashesAhead.size() + h.count() > MAX_HASHES_AHEAD) {
            fail(h.fileId(), new FileFailure(ErrorCode.PROTOCOL, "HASHES of chunks " + h.firstIndex() + ".."
                    + (h.firstIndex() + (long) h.count() - 1) + " (" + h.algorithm().displayName() + ") for a joined stream of '"
                    + SafePaths.printable(f.path()) + "', which has " + f.chunkCount() + " chunks ("
                    + f.algorithm().displayName() + ") and takes " + MAX_HASHES_AHEAD + " hashes ahead at most"));
            return;
        }
        for (int k = 0; k < h.count(); k++) {
            s.hashesAhead.put(h.firstIndex() + k, Arrays.copyOfRange(h.hashes(), k * d, k * d + d));
        }
    }

    /** A CHUNK for a joined stream: checked, written into the shared file, ACKed once durable. */
    void chunk(Frame.Chunk c) throws IOException {
        Stream s = streams.get(c.fileId());
        SharedFile f = s.file;
        int index = c.index();
        if (index >= f.chunkCount()) {
            fail(c.fileId(), new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " but '"
                    + SafePaths.printable(f.path()) + "' has " + f.chunkCount() + " chunks"));
            return;
        }
        byte[] expected = s.hashesAhead.remove(index);
        if (expected == null) {
            fail(c.fileId(), new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " of a joined stream before its hash"));
            return;
        }
        int expectedLength = FileDigest.chunkLength(f.size(), f.chunkSize(), index);
        if (c.length() != expectedLength) {
            fail(c.fileId(), new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " length=" + c.length()
                    + ", expected " + expectedLength));
            return;
        }
        crc.reset();
        crc.update(c.data().duplicate());
        byte[] actual = new byte[expected.length];
        ErrorCode refused = null;
        if ((int) crc.getValue() != c.crc32c()) {
            refused = ErrorCode.CRC_MISMATCH;
        } else {
            s.digester.digest(c.data(), actual, 0);
            if (!Arrays.equals(actual, expected)) {
                refused = ErrorCode.HASH_MISMATCH;
            }
        }
        if (refused != null) {
            (refused == ErrorCode.CRC_MISMATCH ? shared.stats().crcMismatches : shared.stats().hashMismatches).incrementAndGet();
            channel.write(new Frame.Nack(c.fileId(), index, refused));
            return;
        }
        SharedFile.Written written;
        try {
            written = f.write(index, c.data(), actual, 0);
        } catch (IOException e) {
            fail(c.fileId(), FileFailure.of("cannot write '" + SafePaths.printable(f.path()) + "'", e));
            return;
        }
        switch (written) {
            case WRITTEN -> {
                shared.stats().chunksReceived.incrementAndGet();
                shared.stats().chunksJoined.incrementAndGet();
                shared.stats().chunkBytesWritten.addAndGet(c.length());
                s.notDurable.put(index, actual);
                acks.hold(new Frame.Ack(c.fileId(), index), c.length());
            }
            case ALREADY_THERE -> channel.write(new Frame.Ack(c.fileId(), index)); // (its writer makes it durable)
            case CLOSED -> fail(c.fileId(), new FileFailure(ErrorCode.NOT_FOUND, "'" + SafePaths.printable(f.path())
                    + "' is no longer in flight (committed or given up): nothing to join"));
        }
    }

    /** COMMIT is the owning connection's: on a joined stream it is a protocol error. */
    void commit(Frame.Commit c) throws ProtocolException {
        throw new ProtocolException(ErrorCode.PROTOCOL, "COMMIT for fileId=" + c.fileId()
                + ", a joined stream (the connection that offered the file commits it)");
    }

    /** The sender ended a joined stream: no answer; its chunks still in flight are dropped. */
    void senderError(Frame.Error e) throws IOException {
        acks.awaitIdle();
        if (streams.remove(e.fileId()) != null) {
            ids.failed(e.fileId());
        }
    }

    /** What waits goes out: ACKs whose chunks are durable now, and streams whose chunks could not be made durable fail. */
    void releaseDurableAcks() throws IOException {
        acks.release(released);
    }

    /** The held ACKs go to be made durable. */
    void flushAcks() {
        acks.flush();
    }

    /**
     * The session ends: what is being made durable is waited for, and what was written and not yet handed over is
     * made durable too, best effort, while its file is still open (as a file of the session's own is at its end), so
     * that the next attempt resumes from it.
     */
    @Override
    public void close() {
        acks.close();
        for (int id : java.util.List.copyOf(streams.keySet())) {
            SharedFile file = streams.get(id).file;
            PartialFile.ChunksToPersist p = takeNotDurable(id);
            if (p != null && !file.closed()) {
                try {
                    p.file().persist(java.util.List.of(p));
                } catch (IOException e) {
                    // (closed meanwhile: those chunks are sent again)
                }
            }
        }
        streams.clear();
    }

    /** Streams whose file was committed or given up are over: their ids drop late frames quietly. */
    private void endClosedStreams() throws IOException {
        if (streams.values().stream().noneMatch(s -> s.file.closed())) {
            return;
        }
        acks.awaitIdle();
        releaseDurableAcks(); // (their last ACKs first)
        streams.entrySet().removeIf(e -> {
            if (e.getValue().file.closed()) {
                ids.failed(e.getKey());
                return true;
            }
            return false;
        });
    }

    private PartialFile.ChunksToPersist takeNotDurable(int id) {
        Stream s = streams.get(id);
        if (s == null || s.notDurable.isEmpty()) {
            return null;
        }
        int d = s.file.algorithm().digestLength();
        int[] indices = new int[s.notDurable.size()];
        byte[] hashes = new byte[indices.length * d];
        int k = 0;
        for (Map.Entry<Integer, byte[]> e : s.notDurable.entrySet()) {
            indices[k] = e.getKey();
            System.arraycopy(e.getValue(), 0, hashes, k * d, d);
            k++;
        }
        s.notDurable.clear();
        return new PartialFile.ChunksToPersist(id, SafePaths.printable(s.file.path()), s.file.partial(), indices, hashes, d);
    }

    /** A joined stream that went wrong: ERROR with its id; the session and the shared file go on. */
    private void fail(int id, FileFailure e) throws IOException {
        acks.awaitIdle(); // (its result for this stream, if any, finds it gone)
        Stream s = streams.remove(id);
        refuse(id, s == null ? "?" : s.file.path(), e);
    }

    private void refuse(int id, String path, FileFailure e) throws IOException {
        ids.failed(id);
        log.warn("joined stream refused folder={} path={} peer={} id={} code={}: {}", folder, SafePaths.printable(path),
                channel.peer(), id, e.code(), e.getMessage());
        channel.write(new Frame.Error(e.code(), id, e.getMessage()));
    }
}
