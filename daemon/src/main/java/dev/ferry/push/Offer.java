package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.util.Arrays;

/**
 * How an entry is offered to the receiver; one mode per entry, chosen from what {@link FilePreparer} made of it:
 * <ul>
 *   <li>{@link Inline}: a small file read whole; OFFER, every CHUNK and COMMIT go in one flight, no NEED asked;</li>
 *   <li>{@link Hashed}: the hash list goes with the OFFER (and HASHES frames for the rest); the receiver answers
 *       NEED with the chunks it lacks;</li>
 *   <li>{@link Streamed}: a big file offered before it is hashed; the hash of each chunk goes just ahead of it, the
 *       file hash at COMMIT;</li>
 *   <li>{@link Directory}: no content, offered last so its mtime sticks.</li>
 * </ul>
 * Values only: {@link PlanRun} writes them, on the writer thread.
 */
sealed interface Offer {
    SourceEntry entry();

    /** The mode for a prepared file. */
    static Offer of(FilePreparer.Ready ready) {
        if (ready.content() != null) {
            return new Inline(ready.entry(), ready.digest(), ready.content());
        }
        return ready.digest() == null ? new Streamed(ready.entry()) : new Hashed(ready.entry(), ready.digest());
    }

    /** The send-side state of this entry, offered under {@code id}. */
    OutgoingFile file(int id, PushSettings settings);

    /** The chunk count the transfer listener hears (none for a directory, which it does not hear of). */
    int chunkCount(int chunkSize);

    /** The OFFER frame, with as many chunk hashes as fit in one frame of {@code out}. */
    Frame.Offer frame(int id, PushSettings settings, FrameOut out);

    record Inline(SourceEntry entry, FileDigest digest, byte[] content) implements Offer {
        @Override
        public OutgoingFile file(int id, PushSettings settings) {
            return OutgoingFile.inline(id, entry, digest, content);
        }

        @Override
        public int chunkCount(int chunkSize) {
            return digest.chunkCount();
        }

        @Override
        public Frame.Offer frame(int id, PushSettings s, FrameOut out) {
            return new Frame.Offer(id, EntryKind.FILE, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                    entry.mtimeNanos(), entry.mode(), s.chunkSize(), s.algorithm(), digest.fileHash(),
                    digest.chunkCount(), digest.chunkHashes(), Frame.Delivery.INLINE);
        }
    }

    record Hashed(SourceEntry entry, FileDigest digest) implements Offer {
        @Override
        public OutgoingFile file(int id, PushSettings settings) {
            return new OutgoingFile(id, entry, digest, null);
        }

        @Override
        public int chunkCount(int chunkSize) {
            return FileDigest.chunkCount(entry.size(), chunkSize);
        }

        @Override
        public Frame.Offer frame(int id, PushSettings s, FrameOut out) {
            int d = s.algorithm().digestLength();
            int count = chunkCount(s.chunkSize());
            int first = Math.min(count, out.maxHashesPerFrame(d));
            return new Frame.Offer(id, EntryKind.FILE, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                    entry.mtimeNanos(), entry.mode(), s.chunkSize(), s.algorithm(), digest.fileHash(), count,
                    Arrays.copyOf(digest.chunkHashes(), first * d));
        }

        /** The hashes the OFFER had no room for, in HASHES frames. */
        void writeRest(int id, PushSettings s, FrameOut out) throws IOException {
            int count = chunkCount(s.chunkSize());
            int first = Math.min(count, out.maxHashesPerFrame(s.algorithm().digestLength()));
            writeHashes(out, s, id, digest.chunkHashes(), first, count);
        }
    }

    record Streamed(SourceEntry entry) implements Offer {
        @Override
        public OutgoingFile file(int id, PushSettings settings) {
            int count = chunkCount(settings.chunkSize());
            return new OutgoingFile(id, entry, null, new StreamedHashes(count, settings.algorithm().digestLength()));
        }

        @Override
        public int chunkCount(int chunkSize) {
            return FileDigest.chunkCount(entry.size(), chunkSize);
        }

        @Override
        public Frame.Offer frame(int id, PushSettings s, FrameOut out) {
            return new Frame.Offer(id, EntryKind.FILE, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                    entry.mtimeNanos(), entry.mode(), s.chunkSize(), s.algorithm(), new byte[0],
                    chunkCount(s.chunkSize()), new byte[0], Frame.Delivery.STREAMED);
        }
    }

    record Directory(SourceEntry entry) implements Offer {
        @Override
        public OutgoingFile file(int id, PushSettings settings) {
            return new OutgoingFile(id, entry, null, null);
        }

        @Override
        public int chunkCount(int chunkSize) {
            return 0;
        }

        @Override
        public Frame.Offer frame(int id, PushSettings s, FrameOut out) {
            return new Frame.Offer(id, EntryKind.DIRECTORY, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                    entry.mtimeNanos(), entry.mode(), s.chunkSize(), s.algorithm(), new byte[s.algorithm().digestLength()],
                    0, new byte[0], Frame.Delivery.ASKED);
        }
    }

    /** HASHES frames for chunks {@code from..count-1} of {@code hashes}. */
    static void writeHashes(FrameOut out, PushSettings s, int id, byte[] hashes, int from, int count) throws IOException {
        int d = s.algorithm().digestLength();
        int perFrame = out.maxHashesPerFrame(d);
        for (int i = from; i < count; i += perFrame) {
            int n = Math.min(perFrame, count - i);
            out.write(new Frame.Hashes(id, i, s.algorithm(), Arrays.copyOfRange(hashes, i * d, (i + n) * d)));
        }
    }
}
