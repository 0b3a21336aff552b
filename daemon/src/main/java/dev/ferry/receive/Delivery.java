package dev.ferry.receive;

/**
 * How an incoming file's chunks arrive, decided by its OFFER and by what the receiver answered; owned by the
 * {@link IncomingFile} (its session's thread), which moves it from one mode to the next.
 */
sealed interface Delivery {
    /** The hash list is still arriving in HASHES frames; NEED goes out once it is complete. No chunk yet. */
    record AwaitingHashes() implements Delivery {
    }

    /** NEED went out after the whole hash list: the chunks asked for come next. */
    record Needed() implements Delivery {
    }

    /** Streamed: every missing chunk was asked for at once, each chunk's hash comes in a HASHES frame just ahead of it. */
    record Streaming() implements Delivery {
    }

    /**
     * Inline: the chunks and COMMIT came right behind the OFFER, unasked.
     *
     * @param waitingCommit the file hash of a COMMIT that arrived while a refused chunk was being sent again; null if none
     */
    record Inline(byte[] waitingCommit) implements Delivery {
    }

    /**
     * The final path holds this exact file already: nothing is written, COMMIT only applies mode and mtime.
     *
     * @param inline its chunks are on their way anyway, and are acknowledged and dropped
     */
    record Unchanged(boolean inline) implements Delivery {
    }
}
