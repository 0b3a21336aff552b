package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.StampedDigest;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which held file of a folder has a chunk with a given hash, at any index: an in-memory map from chunk hash to
 * (file, index), made from the folder's {@link HeldHashes} entries, so that a file made of chunks the receiver holds
 * elsewhere — a copy, a move, the same chunks in another order or shifted by whole chunks — is copied locally
 * instead of sent. One per folder, shared by its sessions ({@link ChunkIndexes}); thread-safe (one lock; the
 * entries are read under it).
 *
 * <p>Built lazily for one chunking (algorithm and chunk size, the one offers asked for last) and kept up to date
 * from the held folder: its stat (mtime, ctime, inode) is compared on every use, and only when it moved is the folder
 * walked again and the entries that are new or replaced read (one removed or replaced marks its file gone). A held
 * folder changed less than {@value #RACY_SECONDS} s before it was walked is walked once more after that, as a
 * coarse file system clock could hide a second change in the same tick. An entry only says what the file held when it was put
 * in place: a file's stamp is checked before its chunks are taken ({@link #forget} when it moved), and every chunk
 * copied is hashed again by {@link ChunkCopier}.
 *
 * <p>Bounded: at most {@value #MAX_CHUNKS} chunks are indexed (512 GiB of held files at 1 MiB chunks), the key of
 * each is the first 8 bytes of its hash (a false match costs one chunk read: the copy checks the whole hash), in an
 * open-addressing table of two {@code long}s per slot at most half full: 16 MiB of heap at the cap. Files beyond
 * the cap are not indexed. A hash many files share (a chunk of zeros) names the first of them.
 */
final class ChunkIndex {
    private static final Logger log = LoggerFactory.getLogger(ChunkIndex.class);
    static final int MAX_CHUNKS = 1 << 19;
    static final int RACY_SECONDS = 2;
    private static final int FIRST_SLOTS = 1 << 10;

    /** A chunk a held file had when its entry was made: chunk {@code index} of {@code path}, {@code length} bytes. */
    record Source(String path, StampedDigest.Stamp stamp, int index, int length) {
    }

    /** A held file as its entry describes it. */
    private record HeldFile(String path, StampedDigest.Stamp stamp) {
    }

    /** An entry file as last read: what tells that it was replaced, and the file it describes (-1: another chunking). */
    private record EntryMark(long inode, long ctimeNanos, long size, int fileNo) {
    }

    private final FerryClock clock;
    private final int maxChunks;
    private HashAlgorithm algorithm;
    private int chunkSize;
    private final List<HeldFile> files = new ArrayList<>();
    /** Per file number: the slots it holds. */
    private int[] slotsHeld = new int[16];
    /** Files found gone or changed: their slots are skipped, and they count towards a rebuild. */
    private final BitSet gone = new BitSet();
    private final Map<String, EntryMark> entries = new HashMap<>();
    /** Keys (0: an empty slot) and values (file number << 32 | chunk index). */
    private long[] keys = new long[FIRST_SLOTS];
    private long[] values = new long[FIRST_SLOTS];
    private int used;
    private int goneChunks;
    /** The held folder's mtime, ctime and inode when it was last walked; null: walk it. */
    private List<Long> walkedDir;
    /** When (epoch seconds) to walk the held folder again although its stat did not move; 0: no need. */
    private long recheckAtSeconds;

    ChunkIndex(FerryClock clock) {
        this(clock, MAX_CHUNKS);
    }

    /** @param maxChunks the cap ({@value #MAX_CHUNKS} but in tests) */
    ChunkIndex(FerryClock clock, int maxChunks) {
        this.clock = clock;
        this.maxChunks = maxChunks;
    }

    /** The key of the hash at {@code hashes[offset]}: its first 8 bytes, never 0. */
    static long key(byte[] hashes, int offset) {
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = k << 8 | (hashes[offset + i] & 0xFF);
        }
        return k == 0 ? 1 : k;
    }

    /**
     * Where a held file has chunks the offered file lacks: for each chunk of {@code missing} whose key
     * ({@code keys[i]}, see {@link #key}) is indexed, its source, by chunk of the offered file.
     */
    synchronized Map<Integer, Source> find(Beneath folder, HashAlgorithm algorithm, int chunkSize, long[] keys, BitSet missing) {
        Map<Integer, Source> found = new TreeMap<>();
        refresh(folder, algorithm, chunkSize);
        for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
            long v = lookup(keys[i]);
            if (v >= 0) {
                HeldFile f = files.get((int) (v >>> 32));
                int index = (int) v;
                found.put(i, new Source(f.path(), f.stamp(), index, FileDigest.chunkLength(f.stamp().size(), chunkSize, index)));
            }
        }
        return found;
    }

    /**
     * Whether a held file with this chunking could share whole chunks with a file of {@code size} bytes: one whose
     * size differs by a multiple of the chunk size (the same size, or chunks added or taken out whole), still as
     * its entry describes it. What a streamed offer's first answer asks: is the hash list worth waiting for?
     */
    synchronized boolean holdsSizeLike(Beneath folder, HashAlgorithm algorithm, int chunkSize, long size) {
        refresh(folder, algorithm, chunkSize);
        for (int n = 0; n < files.size(); n++) {
            HeldFile f = files.get(n);
            if (!gone.get(n) && (f.stamp().size() - size) % chunkSize == 0) {
                if (still(folder, f)) {
                    return true;
                }
                markGone(n);
            }
        }
        return false;
    }

    /** The file at {@code path} is no longer in state {@code stamp}: its chunks are not offered any more. */
    synchronized void forget(String path, StampedDigest.Stamp stamp) {
        for (int n = 0; n < files.size(); n++) {
            if (!gone.get(n) && files.get(n).path().equals(path) && files.get(n).stamp().equals(stamp)) {
                markGone(n);
            }
        }
    }

    /** Chunks indexed now (for tests). */
    synchronized int size() {
        return used - goneChunks;
    }

    private static boolean still(Beneath folder, HeldFile f) {
        try {
            Stat now = folder.stat(f.path());
            return now != null && now.isFile() && HeldHashes.stampOf(now).equals(f.stamp());
        } catch (IOException e) {
            return false;
        }
    }

    private void refresh(Beneath folder, HashAlgorithm algorithm, int chunkSize) {
        if (algorithm != this.algorithm || chunkSize != this.chunkSize || goneChunks > used / 2) {
            clear();
            this.algorithm = algorithm;
            this.chunkSize = chunkSize;
        }
        try {
            Stat dir = folder.stat(HeldHashes.DIR);
            if (dir == null || !dir.isDirectory()) {
                if (!files.isEmpty()) {
                    clear();
                }
                return;
            }
            List<Long> now = List.of(dir.mtimeSeconds() * 1_000_000_000L + dir.mtimeNanos(),
                    dir.ctimeSeconds() * 1_000_000_000L + dir.ctimeNanos(), dir.inode());
            long nowSeconds = clock.instant().getEpochSecond();
            if (now.equals(walkedDir) && (recheckAtSeconds == 0 || nowSeconds < recheckAtSeconds)) {
                return;
            }
            walk(folder);
            walkedDir = now;
            // changed within RACY_SECONDS of now: walked once more after that, in case a change hid in the same tick
            recheckAtSeconds = nowSeconds - dir.mtimeSeconds() < RACY_SECONDS ? dir.mtimeSeconds() + RACY_SECONDS : 0;
        } catch (IOException | RuntimeException e) {
            log.debug("held hashes not indexed folder={}: {}", folder.root(), e.toString());
            walkedDir = null;
        }
    }

    /** Reads the entries that are new or replaced since the last walk; forgets the files of those that are gone. */
    private void walk(Beneath folder) throws IOException {
        Map<String, Stat> seen = new HashMap<>();
        folder.walk(HeldHashes.DIR, (rel, stat, target) -> {
            if (stat.isFile() && HeldHashes.isEntry(rel)) {
                seen.put(rel, stat);
            }
            return false;
        });
        Set<String> known = new HashSet<>(entries.keySet());
        for (String rel : known) {
            EntryMark m = entries.get(rel);
            Stat s = seen.get(rel);
            if (s == null || !m.equals(mark(s, m.fileNo()))) {
                entries.remove(rel);
                if (m.fileNo() >= 0) {
                    markGone(m.fileNo());
                }
            }
        }
        HeldHashes held = new HeldHashes(folder);
        for (Map.Entry<String, Stat> e : seen.entrySet()) {
            if (!entries.containsKey(e.getKey())) {
                StampedDigest d = held.readEntry(e.getKey());
                int fileNo = d != null && d.algorithm() == algorithm && d.chunkSize() == chunkSize ? add(d) : -1;
                entries.put(e.getKey(), mark(e.getValue(), fileNo));
            }
        }
    }

    private static EntryMark mark(Stat s, int fileNo) {
        return new EntryMark(s.inode(), s.ctimeSeconds() * 1_000_000_000L + s.ctimeNanos(), s.size(), fileNo);
    }

    /** Indexes a held file's chunks (as many as the cap leaves room for); returns its number. */
    private int add(StampedDigest d) {
        int fileNo = files.size();
        files.add(new HeldFile(d.key(), d.stamp()));
        if (fileNo == slotsHeld.length) {
            slotsHeld = Arrays.copyOf(slotsHeld, fileNo * 2);
        }
        int dl = d.algorithm().digestLength();
        int count = d.chunkHashes().length / dl;
        for (int i = 0; i < count && used < maxChunks; i++) {
            put(key(d.chunkHashes(), i * dl), (long) fileNo << 32 | i);
        }
        return fileNo;
    }

    private void markGone(int fileNo) {
        if (!gone.get(fileNo)) {
            gone.set(fileNo);
            goneChunks += slotsHeld[fileNo];
        }
    }

    private void clear() {
        files.clear();
        slotsHeld = new int[16];
        gone.clear();
        entries.clear();
        keys = new long[FIRST_SLOTS];
        values = new long[FIRST_SLOTS];
        used = 0;
        goneChunks = 0;
        walkedDir = null;
        recheckAtSeconds = 0;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & (keys.length - 1);
    }

    /** The value of {@code key} whose file is not gone; -1 if none. */
    private long lookup(long key) {
        for (int s = slot(key); keys[s] != 0; s = (s + 1) & (keys.length - 1)) {
            if (keys[s] == key && !gone.get((int) (values[s] >>> 32))) {
                return values[s];
            }
        }
        return -1;
    }

    private void put(long key, long value) {
        if ((used + 1) * 2L > keys.length) {
            grow();
        }
        int s = slot(key);
        while (keys[s] != 0) {
            if (keys[s] == key) {
                int holder = (int) (values[s] >>> 32);
                if (gone.get(holder)) { // a file gone since: the slot is this one's now
                    slotsHeld[holder]--;
                    goneChunks--;
                    slotsHeld[(int) (value >>> 32)]++;
                    values[s] = value;
                }
                return; // else the first file with this chunk keeps it
            }
            s = (s + 1) & (keys.length - 1);
        }
        keys[s] = key;
        values[s] = value;
        slotsHeld[(int) (value >>> 32)]++;
        used++;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldValues.length * 2];
        used = 0;
        Arrays.fill(slotsHeld, 0);
        for (int s = 0; s < oldKeys.length; s++) {
            if (oldKeys[s] != 0) {
                put(oldKeys[s], oldValues[s]);
            }
        }
    }
}
