package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.ProtocolException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The table of one session's files by id: those being received, and the ids of those that failed (so that frames
 * still in flight for them are dropped quietly). Taking a file off the table gives its chunk hashes back to the
 * receiver's {@link HashBudget}. Owned by the session's thread, for its {@link FileFrameHandler} and
 * {@link JoinedStreams} (whose ids share the connection's one id space).
 */
final class SessionFiles {
    /** Ids of files that failed, kept so that chunks still in flight for them are dropped quietly. */
    private static final int MAX_REMEMBERED_FAILURES = 4096;

    private final HashBudget hashBudget;
    private final Map<Integer, IncomingFile> files = new HashMap<>();
    private final SequencedSet<Integer> failed = new LinkedHashSet<>();
    /** Ids of joined streams ({@link JoinedStreams}): no OFFER may take them. */
    private final java.util.Set<Integer> joined = new java.util.HashSet<>();

    SessionFiles(HashBudget hashBudget) {
        this.hashBudget = hashBudget;
    }

    /** Whether {@code id} names a file of this session, being received or failed. */
    boolean used(int id) {
        return files.containsKey(id) || failed.contains(id) || joined.contains(id);
    }

    /** {@code id} names a joined stream now. */
    void joined(int id) {
        joined.add(id);
    }

    boolean receiving(int id) {
        return files.containsKey(id);
    }

    IncomingFile get(int id) {
        return files.get(id);
    }

    void put(int id, IncomingFile f) {
        files.put(id, f);
    }

    int size() {
        return files.size();
    }

    /** Takes the file off the table and gives its hash bytes back; null if it was not there. */
    IncomingFile drop(int id) {
        IncomingFile file = files.remove(id);
        if (file != null) {
            hashBudget.release(HashBudget.cost(file.offer().chunkCount(), file.offer().algorithm().digestLength()));
        }
        return file;
    }

    /** Remembers {@code id} as failed: its late frames are dropped quietly. */
    void failed(int id) {
        joined.remove(id);
        failed.add(id);
        if (failed.size() > MAX_REMEMBERED_FAILURES) {
            failed.removeFirst();
        }
    }

    /** The file a frame names; null if it failed (the frame was in flight); a protocol error if it is unknown. */
    IncomingFile known(int id, String frame) throws ProtocolException {
        IncomingFile file = files.get(id);
        if (file == null && !failed.contains(id)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, frame + " for unknown fileId=" + id);
        }
        return file;
    }

    /** Every file still being received, taken off the table (the session ends). */
    Collection<IncomingFile> dropAll() {
        List<IncomingFile> all = List.copyOf(files.values());
        for (IncomingFile f : all) {
            drop(f.offer().fileId());
        }
        return all;
    }
}
