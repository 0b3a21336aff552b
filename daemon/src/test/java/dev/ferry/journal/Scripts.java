package dev.ferry.journal;

import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test data: random but valid record sequences (every record accepted by the live state it meets, with few paths so
 * that versions supersede each other), a way to play them through a {@link Journal}, and hand-made segment files.
 */
final class Scripts {
    private static final String[] PATHS = {"a.txt", "dir/b.bin", "dir/sub/c", "photos/été.jpg", "d", "e/f"};

    private Scripts() {
    }

    /**
     * The {@code i}-th of a fixed list of seeds for seeded test cases, spread over all longs (golden-ratio steps) so
     * that neighbouring cases do not start their {@link Random} alike, as consecutive seeds do. A failing case names
     * its seed; {@code new Random(seed)} or {@code random(seed, n)} gives it back.
     */
    static long seed(int i) {
        return 0x9E3779B97F4A7C15L * (i + 1L);
    }

    /** {@code n} records that a journal starting at {@code firstId} accepts in this order. */
    static List<JournalRecord> random(long seed, int n, long firstId) {
        Random r = new Random(seed);
        LiveState model = new LiveState(firstId);
        List<JournalRecord> out = new ArrayList<>();
        while (out.size() < n) {
            JournalRecord rec = next(r, model, "");
            if (rec != null && model.accepts(rec)) {
                model.apply(rec);
                out.add(rec);
            }
        }
        return out;
    }

    static List<JournalRecord> random(long seed, int n) {
        return random(seed, n, 1);
    }

    /** A random record for {@code model} (null or refused ones are skipped by callers); paths start with prefix. */
    static JournalRecord next(Random r, LiveState model, String prefix) {
        JournalState s = model.snapshot();
        int dice = r.nextInt(100);
        if (dice < 22 || s.files().isEmpty() && dice < 85) {
            return new FileEnqueued(s.nextId(), prefix + PATHS[r.nextInt(PATHS.length)], version(r));
        }
        if (dice >= 85) {
            if (dice < 94 || s.treeOps().isEmpty()) {
                return new TreeOpQueued(s.nextId(), treeOp(r, prefix));
            }
            return new TreeOpDone(s.treeOps().get(r.nextInt(s.treeOps().size())).opId());
        }
        FileProgress f = s.files().get(r.nextInt(s.files().size()));
        int count = f.version().chunkCount();
        if (dice < 55) {
            if (count == 0) {
                return new FileCommitted(f.fileId());
            }
            int from = r.nextInt(count);
            return new ChunksAcked(f.fileId(), from, from + 1 + r.nextInt(Math.min(3, count - from)));
        }
        if (dice < 63 && count > 0) {
            return new ChunkFailed(f.fileId(), r.nextInt(count), f.attempts() + 1, "timeout after " + r.nextInt(99)
                    + " s");
        }
        if (dice < 70) {
            return new FileParked(f.fileId(), "keeps failing", 1_767_225_600_000L + r.nextInt(1_000_000));
        }
        if (dice < 80) {
            return new FileCommitted(f.fileId());
        }
        return new FileDropped(f.fileId(), "source changed");
    }

    static FileVersion version(Random r) {
        int chunkSize = r.nextBoolean() ? 4 : 1024;
        long size = r.nextInt(6 * chunkSize + 1);
        byte[] hash = new byte[r.nextBoolean() ? 0 : 32];
        r.nextBytes(hash);
        return new FileVersion(size, 1_700_000_000_000_000_000L + r.nextInt(1_000_000), hash, chunkSize,
                (int) ((size + chunkSize - 1) / chunkSize));
    }

    private static TreeOp treeOp(Random r, String prefix) {
        String p = prefix + PATHS[r.nextInt(PATHS.length)];
        return switch (r.nextInt(4)) {
            case 0 -> new TreeOp.Delete(p);
            case 1 -> new TreeOp.Rename(p, p + ".moved");
            case 2 -> new TreeOp.Symlink(p, "../target/" + r.nextInt(10));
            default -> new TreeOp.MakeDir(p);
        };
    }

    /** The state {@code records} lead to from nothing (ids starting at {@code firstId}). */
    static JournalState stateOf(List<JournalRecord> records, long firstId) {
        LiveState s = new LiveState(firstId);
        for (JournalRecord r : records) {
            if (s.accepts(r)) {
                s.apply(r);
            }
        }
        return s.snapshot();
    }

    static JournalState stateOf(List<JournalRecord> records) {
        return stateOf(records, 1);
    }

    /** Appends {@code r} through the journal's public methods; returns the sequence number. */
    static long play(Journal j, JournalRecord r) throws IOException {
        return switch (r) {
            case FileEnqueued e -> {
                long id = j.enqueueFile(e.path(), e.version());
                if (id != e.fileId()) {
                    throw new AssertionError("journal gave id=" + id + ", script expected " + e.fileId());
                }
                yield j.appendedSeq();
            }
            case ChunksAcked a -> j.chunksAcked(a.fileId(), a.fromChunk(), a.toChunkExclusive());
            case ChunkFailed f -> j.chunkFailed(f.fileId(), f.chunk(), f.attempt(), f.reason());
            case FileCommitted c -> j.fileCommitted(c.fileId());
            case FileDropped d -> j.fileDropped(d.fileId(), d.reason());
            case FileParked p -> j.fileParked(p.fileId(), p.reason(), p.retryAtEpochMillis());
            case TreeOpQueued q -> {
                long id = j.queueTreeOp(q.op());
                if (id != q.opId()) {
                    throw new AssertionError("journal gave opId=" + id + ", script expected " + q.opId());
                }
                yield j.appendedSeq();
            }
            case TreeOpDone d -> j.treeOpDone(d.opId());
        };
    }

    static void playAll(Journal j, List<JournalRecord> records) throws IOException {
        for (JournalRecord r : records) {
            play(j, r);
        }
    }

    // ---- hand-made files --------------------------------------------------------------------------------------

    /** The bytes of a segment holding {@code records}, built without the journal's writer. */
    static byte[] segmentBytes(long segment, long nextId, List<JournalRecord> records) {
        RecordCodec codec = new RecordCodec();
        ByteBuffer out = ByteBuffer.allocate(1 << 20);
        out.put(JournalFormat.header(new JournalFormat.Header(segment, nextId)));
        for (JournalRecord r : records) {
            out.put(codec.encode(r));
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    /** Offsets where each record ends, walking the length fields by hand. */
    static List<Integer> recordEnds(byte[] segment) {
        List<Integer> ends = new ArrayList<>();
        int pos = JournalFormat.HEADER_LENGTH;
        while (pos < segment.length) {
            pos += JournalFormat.RECORD_HEADER_LENGTH
                    + ByteBuffer.wrap(segment).getInt(pos + JournalFormat.LENGTH_OFFSET);
            ends.add(pos);
        }
        return ends;
    }

    /** Every record a segment file holds, in order, read with the journal's reader (the file is not changed). */
    static List<JournalRecord> readRecords(Path file, long segment) {
        List<JournalRecord> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SegmentReader.Result r = SegmentReader.read(ch, file, segment, h -> out::add);
            if (!r.clean()) {
                throw new AssertionError("segment " + file + " damaged at " + r.validEnd() + ": " + r.problem());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static JournalFormat.Header readHeader(Path file, long segment) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return JournalFormat.readHeader(file, segment, ByteBuffer.wrap(b, 0, Math.min(b.length,
                JournalFormat.HEADER_LENGTH)).slice());
    }
}
