package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stripe of one big file's missing chunks, handed by the connection that offered the file (its owner) to another
 * connection of the same target, which JOINs the file on the receiver and sends these chunks ({@link StripeRun}).
 * Made on the owner's writer thread; read by the stripe's; {@link #cancel} from the owner's.
 *
 * @param ownerFileId the file's id on the owner's connection, which its {@link StripeResult} names
 * @param remotePath  the file's path on the receiver, as its OFFER named it
 * @param key         the secret the owner's SHARE gave the file
 * @param ranges      the chunks of this stripe
 * @param digest      the hash list the file was offered with, to check each chunk read against; null if streamed
 */
record StripeJob(int ownerFileId, SourceEntry entry, String remotePath, byte[] key, List<Frame.Range> ranges,
                 FileDigest digest, AtomicBoolean cancelled) {

    StripeJob(int ownerFileId, SourceEntry entry, String remotePath, byte[] key, List<Frame.Range> ranges, FileDigest digest) {
        this(ownerFileId, entry, remotePath, key, List.copyOf(ranges), digest, new AtomicBoolean());
    }

    /** The owner's file ended (done, failed or given up): the stripe stops. */
    void cancel() {
        cancelled.set(true);
    }

    int chunkCount() {
        int n = 0;
        for (Frame.Range r : ranges) {
            n += r.count();
        }
        return n;
    }
}
