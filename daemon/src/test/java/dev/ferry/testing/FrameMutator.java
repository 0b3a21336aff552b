package dev.ferry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A mutation fuzzer's mutations of frame sequences: from a few corpus frames it makes one byte string, changed in
 * the ways that broke other receivers (rsync 3.5.0's audit among them): bit flips, boundary values (0, 1, -1, the
 * int limits, ferry's limits and one past them) written over a length field or any aligned u32 or u16, a changed
 * type byte, truncation, a splice of two frames, inserted bytes, and frames reordered, repeated or dropped. Each
 * case comes from its own seed, so a failing case is reproduced by its number alone. Not thread-safe; one per test.
 */
public final class FrameMutator {
    /** Values a hostile peer tries in counts, lengths, ids and indices. */
    private static final int[] BOUNDARY_INTS = {0, 1, 2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 255, 256, 4095, 4096,
        4097, 65_535, 65_536, 65_537, 1 << 20, (1 << 21) + 1, 8 << 20, (8 << 20) + 1, (8 << 20) + 65_536 + 1, 999_999_999,
        1_000_000_000};
    private static final int[] BOUNDARY_SHORTS = {0, 1, 255, 256, 2048, 2049, 4096, 4097, 0x7fff, 0xffff};
    /** Frame types of protocol v1 (and two that are not). */
    private static final byte[] TYPES = {0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
        0x20, 0x21, 0x22, 0x23, 0x24, 0x30, 0x31, 0x32, 0x00, 0x7f};

    private static final byte OFFER = 0x10;
    /** OFFER, HASHES, CHUNK, COMMIT: the frames of one file, each with its file id first. */
    private static final String FILE_FRAMES = "\u0010\u0011\u0013\u0016";

    private final List<byte[]> corpus;
    private final long seed;

    /** @param corpus whole frames (header included), as {@link FrameCorpus} recorded them */
    public FrameMutator(List<byte[]> corpus, long seed) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("empty corpus");
        }
        this.corpus = List.copyOf(corpus);
        this.seed = seed;
    }

    /**
     * Case {@code n}: 1 to {@code maxFrames} consecutive corpus frames (from anywhere, or from an OFFER), or one
     * file's frames (its OFFER, HASHES, CHUNKs and COMMIT); then 1 to 4 mutations.
     */
    public byte[] generate(long n, int maxFrames) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
        List<byte[]> frames = new ArrayList<>();
        int count = 1 + r.nextInt(maxFrames);
        int start = r.nextInt(corpus.size());
        int mode = r.nextInt(3);
        if (mode > 0) { // start at an OFFER, so that the frames after it reach a file in flight
            while (start > 0 && corpus.get(start)[4] != OFFER) {
                start--;
            }
        }
        if (mode == 2 && corpus.get(start)[4] == OFFER) { // one file's own frames: its OFFER, HASHES, CHUNKs, COMMIT
            int id = ByteBuffer.wrap(corpus.get(start)).getInt(5);
            for (int i = start; i < corpus.size() && frames.size() < Math.max(count, 8); i++) {
                byte[] f = corpus.get(i);
                if (i > start && f[4] == OFFER && ByteBuffer.wrap(f).getInt(5) == id) {
                    break; // (the next session reuses the id)
                }
                if (f.length >= 9 && ByteBuffer.wrap(f).getInt(5) == id && FILE_FRAMES.indexOf(f[4]) >= 0) {
                    frames.add(f.clone());
                }
            }
        } else {
            for (int i = 0; i < count; i++) { // mostly consecutive frames, as a session sends them
                frames.add(corpus.get(r.nextInt(4) == 0 ? r.nextInt(corpus.size()) : (start + i) % corpus.size()).clone());
            }
        }
        int mutations = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1; // mostly one: the rest of the sequence stays valid
        for (int m = 0; m < mutations; m++) {
            mutate(frames, r);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private void mutate(List<byte[]> frames, SplittableRandom r) {
        int i = r.nextInt(frames.size());
        byte[] f = frames.get(i);
        switch (r.nextInt(10)) {
            case 0 -> { // bit flips
                for (int k = 1 + r.nextInt(8); k > 0 && f.length > 0; k--) {
                    int at = r.nextInt(f.length);
                    f[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // the frame's length field
                if (f.length >= 4) {
                    int[] lengths = {0, 1, f.length - 5, f.length - 3, f.length + 1, 4096, 4097, 8 << 20, (8 << 20) + 65_537,
                        -1, Integer.MAX_VALUE, r.nextInt()};
                    ByteBuffer.wrap(f).putInt(0, lengths[r.nextInt(lengths.length)]);
                }
            }
            case 2 -> { // a u32 in the payload
                if (f.length >= 9) {
                    int at = 5 + r.nextInt(f.length - 8);
                    ByteBuffer.wrap(f).putInt(at, BOUNDARY_INTS[r.nextInt(BOUNDARY_INTS.length)]);
                }
            }
            case 3 -> { // a u16 (a str's length, a version, a code)
                if (f.length >= 7) {
                    int at = 5 + r.nextInt(f.length - 6);
                    ByteBuffer.wrap(f).putShort(at, (short) BOUNDARY_SHORTS[r.nextInt(BOUNDARY_SHORTS.length)]);
                }
            }
            case 4 -> { // the type byte
                if (f.length >= 5) {
                    f[4] = TYPES[r.nextInt(TYPES.length)];
                }
            }
            case 5 -> frames.set(i, java.util.Arrays.copyOf(f, r.nextInt(f.length + 1))); // truncated
            case 6 -> { // splice: this frame's head, another's tail
                byte[] g = corpus.get(r.nextInt(corpus.size()));
                int cutF = r.nextInt(f.length + 1);
                int cutG = r.nextInt(g.length + 1);
                byte[] s = new byte[cutF + g.length - cutG];
                System.arraycopy(f, 0, s, 0, cutF);
                System.arraycopy(g, cutG, s, cutF, g.length - cutG);
                frames.set(i, s);
            }
            case 7 -> { // inserted random bytes
                int at = r.nextInt(f.length + 1);
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                byte[] s = new byte[f.length + junk.length];
                System.arraycopy(f, 0, s, 0, at);
                System.arraycopy(junk, 0, s, at, junk.length);
                System.arraycopy(f, at, s, at + junk.length, f.length - at);
                frames.set(i, s);
            }
            case 8 -> { // repeated
                frames.add(r.nextInt(frames.size() + 1), f.clone());
            }
            default -> { // reordered or dropped
                if (frames.size() > 1) {
                    byte[] moved = frames.remove(i);
                    if (r.nextBoolean()) {
                        frames.add(r.nextInt(frames.size() + 1), moved);
                    }
                }
            }
        }
    }
}
