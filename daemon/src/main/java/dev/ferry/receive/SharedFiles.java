package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files in flight that their sessions opened to joined streams, across every session of one receiver, by folder
 * and path. A JOIN finds its file here only with the key its SHARE gave, in the same folder, from the same
 * authenticated peer; an entry leaves when its owner commits the file or gives it up. Thread-safe.
 */
final class SharedFiles {
    private record Key(String folder, String path) {
    }

    private final Map<Key, SharedFile> byPath = new ConcurrentHashMap<>();

    /** Opens {@code f} to JOINs; false if another session has shared that path (then it is not opened). */
    boolean add(SharedFile f) {
        return byPath.putIfAbsent(new Key(f.folder(), f.path()), f) == null;
    }

    void remove(SharedFile f) {
        byPath.remove(new Key(f.folder(), f.path()), f);
    }

    /**
     * The file a JOIN names, or the failure its sender is told: none with that path and key in the folder
     * (never shared, or committed or given up since), or another peer's.
     */
    SharedFile find(String folder, String path, byte[] key, String peer) throws FileFailure {
        SharedFile f = byPath.get(new Key(folder, path));
        if (f == null || !f.keyMatches(key)) {
            throw new FileFailure(ErrorCode.NOT_FOUND, "JOIN of '" + SafePaths.printable(path)
                    + "': no file in flight there with that key (not shared, or committed or given up)");
        }
        if (!f.peer().equals(peer)) {
            throw new FileFailure(ErrorCode.PERMISSION, "JOIN of '" + SafePaths.printable(path)
                    + "': the file is being received from another peer");
        }
        return f;
    }
}
