package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.hash.StampedDigest.Stamp;
import dev.ferry.push.DigestCache;
import dev.ferry.push.DigestCacheDir;
import dev.ferry.push.PushException;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.SessionThreads;
import dev.ferry.push.Pusher;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Trees;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One-shot pushes through a fault-injecting proxy: a dropped link resumes, damage in flight is caught by CRC32C. */
class InterruptedPushTest extends LoopbackReceiverTest {
    static final Token TOKEN = Token.of("interrupted-token-0123456789");
    static final int MIB = 1 << 20;

    InterruptedPushTest() {
        super(TOKEN, "f");
    }


    /** Through {@code proxy}, on platform threads as a one-shot {@code ferry push} runs (the daemon's tests run virtual). */
    PushSettings via(FaultProxy proxy) {
        return Loopback.pushSettings(proxy.port(), "f", TOKEN).withThreads(SessionThreads.PLATFORM);
    }

    long partialBytes() throws IOException {
        Path dir = target.resolve(".ferry/partial");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".part")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aPushCutOffMidFileIsResumedAndSendsOnlyWhatNeverArrived() throws IOException {
        Trees.randomFile(source.resolve("big.bin"), 24 * MIB, 1);
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            proxy.onConnection(1).upstream().dropAfterBytes(12L * MIB);

            assertThatThrownBy(() -> Pusher.push(source, true, "", via(proxy)))
                    .isInstanceOf(PushException.class)
                    .hasMessageStartingWith("connection to 127.0.0.1:" + proxy.port() + " failed: "); // reset, or broken pipe
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
            long arrived = partialBytes();
            // (what the receiver's socket buffers held when the reset came is lost with them)
            assertThat(arrived).as("the first attempt's bytes are kept").isBetween(1L * MIB, 12L * MIB);

            PushResult second = Pusher.push(source, true, "", via(proxy));

            long resumed = receiver.stats().snapshot().chunksResumed();
            assertThat(second.failures()).isEmpty();
            assertThat(resumed).as("every whole chunk that arrived is reused").isEqualTo(arrived / MIB);
            assertThat(second.chunksSent()).as("the rest, and nothing else").isEqualTo(24 - resumed);
            assertThat(second.chunksResent()).isZero();
        }
        Trees.assertIdentical(source, target);
        assertThat(target.resolve(".ferry/partial")).isEmptyDirectory();
    }

    /** Counts the lists {@link DigestCache#find} hands out. */
    static final class CountingCache implements DigestCache {
        final DigestCacheDir dir;
        final AtomicInteger hits = new AtomicInteger();

        CountingCache(Path folder) {
            dir = new DigestCacheDir(folder, DigestCacheDir.DEFAULT_MAX_ENTRIES);
        }

        @Override
        public FileDigest find(Path file, Stamp stamp, HashAlgorithm algorithm, int chunkSize) {
            FileDigest d = dir.find(file, stamp, algorithm, chunkSize);
            if (d != null) {
                hits.incrementAndGet();
            }
            return d;
        }

        @Override
        public void keep(Path file, Stamp stamp, FileDigest digest) {
            dir.keep(file, stamp, digest);
        }

        @Override
        public void forget(Path file) {
            dir.forget(file);
        }
    }

    @Test
    void aPushCutOffMidFileResumesWithTheHashListItsReadAheadKept() throws Exception {
        Path big = Trees.randomFile(source.resolve("big.bin"), 24 * MIB, 5);
        CountingCache cache = new CountingCache(tmp.resolve("state/push-digests"));
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            proxy.onConnection(1).upstream().stallAfterBytes(12L * MIB);
            CompletableFuture<PushResult> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return Pusher.push(source, true, "", via(proxy), cache);
                } catch (PushException e) {
                    throw new CompletionException(e);
                }
            });
            // the first half is through; the read-ahead hashed the whole file and kept its list meanwhile
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(cache.dir.entryOf(big)));
            proxy.killAll();
            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(PushException.class);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
            long arrived = partialBytes();
            assertThat(arrived).isBetween(1L * MIB, 12L * MIB);

            PushResult second = Pusher.push(source, true, "", via(proxy), cache);

            assertThat(cache.hits).as("the list came from the cache: the file was not read to hash it").hasValue(1);
            assertThat(second.failures()).isEmpty();
            long resumed = receiver.stats().snapshot().chunksResumed();
            assertThat(resumed).as("every whole chunk that arrived is reused").isEqualTo(arrived / MIB);
            assertThat(second.chunksSent()).as("the rest, and nothing else").isEqualTo(24 - resumed);
        }
        Trees.assertIdentical(source, target);
    }

    @Test
    void aCachedListTheFileNoLongerMatchesFailsThatFileCleanlyAndIsForgotten() throws IOException {
        Path big = Trees.randomFile(source.resolve("big.bin"), 16 * MIB, 6);
        DigestCacheDir cache = new DigestCacheDir(tmp.resolve("digests"), 8);
        // what a change that kept size, mtime, ctime and inode would leave: a list of other bytes under today's stamp
        Path other = Trees.randomFile(tmp.resolve("other.bin"), 16 * MIB, 7);
        FileDigest wrong = new FileHasher(HashAlgorithm.XXH3_128, MIB).hash(other);
        cache.keep(big, DigestCache.stamp(big), wrong);
        PushSettings s = Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN)
                .withResends(5, new dev.ferry.push.Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

        PushResult r = Pusher.push(source, true, "", s, cache);

        assertThat(r.failures()).extracting(PushResult.Failure::path).containsExactly("big.bin");
        // (which chunk is refused twice first is a race between the chunks in flight)
        assertThat(r.failures().getFirst().reason()).matches("source changed while it was pushed \\(chunk \\d+ no longer matches its hash\\)");
        assertThat(target.resolve("big.bin")).doesNotExist();
        assertThat(cache.entryOf(big)).as("forgotten").doesNotExist();

        PushResult again = Pusher.push(source, true, "", s, cache);

        assertThat(again.failures()).isEmpty();
        Trees.assertIdentical(source, target);
    }

    @Test
    void aLinkThatGoesSilentMidPushFailsItAtTheReadTimeoutInsteadOfHanging() throws IOException {
        Trees.randomFile(source.resolve("big.bin"), 64 * MIB, 3);
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            proxy.upstream().stallAfterBytes(4L * MIB); // a dead link: nothing passes, nothing is refused
            PushSettings quick = via(proxy).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
            long t0 = System.nanoTime();

            // the writer blocks in a socket write that has no deadline of its own: the session's watchdog ends it
            assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> Pusher.push(source, true, "", quick)))
                    .isInstanceOf(PushException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            proxy.resume();
        }
    }

    @Test
    void aRefusedChunkWaitsOutItsBackoffWhileTheRestOfItsFileGoesOn() throws IOException {
        Trees.randomFile(source.resolve("big.bin"), 36 * MIB, 4);
        try (FaultProxy proxy = new FaultProxy(receiver.address()).flipByteAt(1536 * 1024)) {
            proxy.downstream().delay(Duration.ofMillis(150)); // the NACK comes back while later chunks still wait to go
            PushSettings s = via(proxy).withResends(5, new dev.ferry.push.Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)));

            PushResult r = Pusher.push(source, true, "", s);

            assertThat(r.failures()).isEmpty();
            assertThat(r.chunksSent()).isEqualTo(37);
            assertThat(r.chunksResent()).isEqualTo(1);
        }
        Trees.assertIdentical(source, target);
        assertThat(receiver.stats().snapshot().crcMismatches()).isEqualTo(1);
    }

    @Test
    void bitsFlippedInFlightAreCaughtByTheChunkChecksumAndEveryFileArrivesIntact() throws IOException {
        for (int i = 0; i < 6; i++) {
            Trees.randomFile(source.resolve("d" + (i % 2) + "/f" + i + ".bin"), 3 * MIB + i * 1000, 10 + i);
        }
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            proxy.upstream().flipRandomly(2e-7, 42); // ~ one damaged chunk in five
            PushResult r = null;
            // a flip can also land in a frame header, which ends the session: push again, as a user or the daemon would
            for (int attempt = 1; attempt <= 10 && (r == null || !r.failures().isEmpty()); attempt++) {
                try {
                    r = Pusher.push(source, true, "", via(proxy));
                } catch (PushException e) {
                    r = null;
                }
            }
            assertThat(r).as("converged within 10 pushes").isNotNull();
            assertThat(r.failures()).isEmpty();
            assertThat(proxy.stats().flipsUp()).isPositive();
        }
        Trees.assertIdentical(source, target);
        assertThat(receiver.stats().snapshot().crcMismatches()).isPositive();
    }
}
