package dev.ferry.push;

import dev.ferry.hash.StampedDigest;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;

/**
 * Gets a listed file ready to offer: a fresh stat, then, by size,
 * <ul>
 *   <li>up to {@code inlineMaxBytes} (if set): the whole content, read between two stats that must agree, and
 *       its hashes (sent inline: OFFER, chunks and COMMIT in one flight);</li>
 *   <li>from {@value #STREAM_MIN_BYTES} bytes: nothing yet (streamed: hashed while it is sent, so the transfer
 *       starts at once), unless the caller already knows its digest or the {@link DigestCache} has it;</li>
 *   <li>in between: its hash list, read while the file holds still.</li>
 * </ul>
 * A file that keeps changing while it is read is given up after {@value #ATTEMPTS} tries. Used by one thread at
 * a time (a session's hasher); it keeps its read buffer between files.
 */
final class FilePreparer {
    static final long STREAM_MIN_BYTES = 8L << 20;
    private static final int ATTEMPTS = 3;

    /** A file ready to offer: hashed ({@code digest}, null if streamed) and, if small, its {@code content}. */
    record Ready(SourceEntry entry, FileDigest digest, byte[] content) {
    }

    private final FileHasher hasher;
    /** Inline saves two round trips per file (OFFER → NEED → CHUNK → ACK → COMMIT); -1: never inline. */
    private final long inlineMaxBytes;

    private final DigestCache digests;

    FilePreparer(HashAlgorithm algorithm, int chunkSize, int inlineMaxBytes, DigestCache digests) {
        this.hasher = new FileHasher(algorithm, chunkSize);
        this.inlineMaxBytes = inlineMaxBytes == 0 ? -1 : inlineMaxBytes;
        this.digests = digests;
    }


    boolean inline(long size) {
        return size <= inlineMaxBytes;
    }

    /**
     * @param known        the digest the caller computed for {@code listed} (same size and mtime), or null
     * @param inlineIfSmall false for a file the receiver may hold as it is: it is offered with its hashes, whatever
     *                     its size
     */
    Ready prepare(SourceEntry listed, FileDigest known, boolean inlineIfSmall) throws IOException {
        // a small file is read whole between the listing's stat and one after the read: a change shows as a mismatch
        // (one stat less per file than a stat before the read)
        return inlineIfSmall && inline(listed.size()) ? readWhole(listed, listed, known)
                : prepareAt(listed, listed.restat(), known, inlineIfSmall);
    }

    /** As {@link #prepare}, {@code entry} being {@code listed} as it is now. */
    private Ready prepareAt(SourceEntry listed, SourceEntry entry, FileDigest known, boolean inlineIfSmall)
            throws IOException {
        if (inlineIfSmall && inline(entry.size())) { // (a known digest would not save the read: the bytes go inline)
            return readWhole(listed, entry, known);
        }
        if (known != null && entry.equals(listed) && known.size() == entry.size()
                && known.algorithm() == hasher.algorithm() && known.chunkSize() == hasher.chunkSize()) {
            return new Ready(entry, known, null);
        }
        if (entry.size() >= STREAM_MIN_BYTES) {
            return new Ready(entry, cached(entry), null);
        }
        for (int attempt = 1; ; attempt++) {
            FileDigest digest = hasher.hash(entry.local());
            SourceEntry after = listed.restat();
            if (after.equals(entry) && digest.size() == entry.size()) {
                return new Ready(entry, digest, null);
            }
            if (attempt == ATTEMPTS) {
                throw new IOException("it changed while being hashed, " + ATTEMPTS + " times in a row");
            }
            entry = after;
        }
    }

    /** The digest cache's list for the file as it is now, if it was hashed in exactly this state before; else null. */
    private FileDigest cached(SourceEntry entry) throws IOException {
        StampedDigest.Stamp stamp = DigestCache.stamp(entry.local());
        return DigestCache.matches(stamp, entry) ? digests.find(entry.local(), stamp, hasher.algorithm(), hasher.chunkSize()) : null;
    }

    private Ready readWhole(SourceEntry listed, SourceEntry entry, FileDigest known) throws IOException {
        for (int attempt = 1; ; attempt++) {
            byte[] content = new byte[(int) entry.size()];
            int length;
            try (FileChannel ch = FileChannel.open(entry.local(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                length = readUpTo(ch, content); // (a file that grew meanwhile is told by its size below: no read past the end)
            }
            SourceEntry after = listed.restat();
            if (after.equals(entry) && length == entry.size()) {
                return new Ready(entry, hasher.hash(content, length), content);
            }
            if (attempt == ATTEMPTS) {
                throw new IOException("it changed while being read, " + ATTEMPTS + " times in a row");
            }
            entry = after;
            if (!inline(entry.size())) {
                return prepareAt(listed, entry, known, true);
            }
        }
    }

    /** Reads from position 0 until {@code into} is full or the file ends; returns the bytes read. */
    private static int readUpTo(FileChannel ch, byte[] into) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(into);
        while (bb.hasRemaining()) {
            if (ch.read(bb, bb.position()) < 0) {
                break;
            }
        }
        return bb.position();
    }
}
