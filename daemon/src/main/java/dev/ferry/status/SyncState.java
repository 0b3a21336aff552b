package dev.ferry.status;

/** What a target is doing, as {@code ferry status} names it (its {@link #label()}). */
public enum SyncState {
    /** The first comparison with the receiver's listing is not done yet. */
    SCANNING("scanning"),
    /** Nothing queued, nothing failed: the target mirrors the source as far as the pair knows. */
    IN_SYNC("in sync"),
    /** Files or operations queued or on their way. */
    SYNCING("syncing"),
    /** The receiver cannot be reached, or some files failed and wait for their retry. */
    RETRYING("retrying"),
    /** The receiver answered but refused our credentials; retried on a long backoff. */
    AUTH_FAILED("auth-failed"),
    /** Everything else is in sync, but some files failed too often in a row and are parked. */
    PARKED("parked"),
    /** The source looks unmounted or emptied: nothing is planned until it looks right again. */
    SOURCE_GUARDED("source-guarded");

    private final String label;

    SyncState(String label) {
        this.label = label;
    }

    /** The name in status output and the {@code state} label of the metrics. */
    public String label() {
        return label;
    }
}
