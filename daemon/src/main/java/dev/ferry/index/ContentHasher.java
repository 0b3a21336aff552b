package dev.ferry.index;

import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file's digest: the indexed one while the stat says the file has not moved, else read and hashed, with a
 * re-stat after each read so that a file written meanwhile is hashed again (up to {@value #MAX_TRIES} reads,
 * then left without a digest for a later try).
 *
 * <p>A stat cannot see a write that lands in the same mtime tick as the read that hashed the file and keeps its
 * size ("racy" in git's words). So a digest taken less than {@link #RACY_WINDOW} after the file's mtime is not
 * trusted by this instance: the next look at the file hashes it again. The set is not saved; a restart takes far
 * longer than a tick.
 *
 * <p>Not thread-safe: owned by one {@link Scanner}.
 */
final class ContentHasher {
    static final int MAX_TRIES = 3;
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ContentHasher.class);

    /** What a look at a file found: its last stat, and its digest if one matches that stat (else null). */
    record Hashed(Stat stat, FileDigest digest) {
    }

    private final HashAlgorithm algorithm;
    private final int chunkSize;
    private final FileHasher hasher;
    private final InstantSource clock;
    private final Set<String> racy = new HashSet<>();
    private long filesHashed;
    private long bytesHashed;

    ContentHasher(HashAlgorithm algorithm, int chunkSize, InstantSource clock) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize=" + chunkSize + " must be > 0");
        }
        this.algorithm = algorithm;
        this.chunkSize = chunkSize;
        this.hasher = new FileHasher(algorithm, chunkSize);
        this.clock = clock;
    }

    /**
     * The digest of the regular file {@code file} last stat'ed as {@code stat}. Empty if it vanished; a result whose
     * stat is no longer a file if it was replaced while being read.
     */
    Optional<Hashed> digest(String path, Path file, Stat stat, IndexEntry previous) throws IOException {
        if (reusable(path, stat, previous)) {
            return Optional.of(new Hashed(stat, previous.digest()));
        }
        Stat before = stat;
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            Instant started = clock.instant();
            FileDigest d = null;
            IOException failure = null;
            try {
                d = hasher.hash(file);
                filesHashed++;
                bytesHashed += d.size();
            } catch (NoSuchFileException e) {
                // gone, or replaced: the stat below says which
            } catch (ClosedByInterruptException | InterruptedIOException e) {
                throw e; // shutting down: not the file's fault
            } catch (IOException e) {
                failure = e; // changed while read (it shrank), or unreadable
            }
            Optional<Stat> after = Scanner.stat(file);
            if (after.isEmpty()) {
                forget(path);
                return Optional.empty();
            }
            Stat now = after.get();
            if (now.kind() != EntryKind.FILE) {
                forget(path);
                return Optional.of(new Hashed(now, null));
            }
            boolean stable = now.sameContentAs(before);
            if (stable && d != null && d.size() == now.size()) {
                Instant mtime = Instant.ofEpochSecond(now.mtimeSeconds(), now.mtimeNanos());
                if (mtime.isAfter(started.minus(RACY_WINDOW))) {
                    racy.add(path);
                } else {
                    racy.remove(path);
                }
                return Optional.of(new Hashed(now, d));
            }
            if (stable && failure != null) {
                log.warn("cannot read {} to hash it: {}; indexed without a digest", path, failure.toString());
                return Optional.of(new Hashed(now, null));
            }
            before = now;
        }
        log.debug("{} kept changing while hashed {} times; indexed without a digest for now", path, MAX_TRIES);
        return Optional.of(new Hashed(before, null));
    }

    boolean reusable(String path, Stat stat, IndexEntry previous) {
        return previous != null && previous.digest() != null && stat.sameContentAs(previous)
                && previous.digest().algorithm() == algorithm && previous.digest().chunkSize() == chunkSize
                && !racy.contains(path);
    }

    /** Drops what this instance remembers about {@code path} (it is gone from the index). */
    void forget(String path) {
        racy.remove(path);
    }

    long filesHashed() {
        return filesHashed;
    }

    long bytesHashed() {
        return bytesHashed;
    }
}
