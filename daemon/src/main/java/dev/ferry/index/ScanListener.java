package dev.ferry.index;

import java.io.IOException;

/**
 * What a {@link Scanner#scan} tells its caller while it walks, so that one walk of the tree serves more than the
 * index: the daemon's first scan registers the watches with it and streams what it finds to the targets. Called
 * on the scanning thread.
 */
public interface ScanListener {
    /** Tells nothing. */
    ScanListener NONE = new ScanListener() {
    };

    /**
     * The directory {@code dir} ("" for the root) is about to be listed; anything that must see every change made
     * from now on (a watch) is set up here.
     */
    default void listing(String dir) throws IOException {
    }

    /** {@code entry} was found as it is now (new, changed or as indexed). */
    default void found(IndexEntry entry) throws IOException {
    }
}
