package dev.ferry.push;

import java.util.BitSet;

/**
 * How a {@link StripeJob} ended, for its owner's writer thread: the chunks the receiver acknowledged (durable there)
 * with the hash each was sent with, what went over the wire, and, if not every chunk was acknowledged, why (the
 * owner then sends the rest itself).
 *
 * @param hashes        chunk i's hash at {@code i * digestLength}, for the chunks in {@code acked}
 * @param sourceChanged a chunk read did not hash as the file was offered: the file must be given up
 * @param failure       why some chunks were not acknowledged; null if all were
 */
record StripeResult(StripeJob job, BitSet acked, byte[] hashes, long chunksSent, long chunksResent, long bytesSent,
                    long wireBytes, boolean sourceChanged, String failure) {

    /** A stripe that sent nothing: no connection for it, or its connection failed to open. */
    static StripeResult failed(StripeJob job, String failure) {
        return new StripeResult(job, new BitSet(), new byte[0], 0, 0, 0, 0, false, failure);
    }
}
