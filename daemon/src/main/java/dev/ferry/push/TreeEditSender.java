package dev.ferry.push;

import dev.ferry.wire.Frame;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The tree operations of one plan (deletes, renames, symlinks): sent first, in order, each under an id of its own;
 * their DONE or ERROR arrive like a file's and are told apart by that id. Owned by the writer thread.
 */
final class TreeEditSender {
    private final Map<Integer, PushPlan.TreeEdit> pending = new HashMap<>();

    /** Writes one frame per operation, each with the next id of {@code ids}. */
    void send(Iterable<PushPlan.TreeEdit> ops, IntSupplier ids, FrameOut out) throws IOException {
        for (PushPlan.TreeEdit op : ops) {
            int id = ids.getAsInt();
            pending.put(id, op);
            out.write(switch (op) {
                case PushPlan.TreeEdit.Delete d -> new Frame.Delete(id, d.path());
                case PushPlan.TreeEdit.Rename r -> new Frame.Rename(id, r.from(), r.to());
                case PushPlan.TreeEdit.Symlink l -> new Frame.Symlink(id, l.path(), l.target(), l.mtimeSeconds(), l.mtimeNanos());
            });
        }
    }

    /** True if {@code id} is an operation still waiting for its answer. */
    boolean awaits(int id) {
        return pending.containsKey(id);
    }

    /** The answer to {@code id} arrived: the operation it was. */
    PushPlan.TreeEdit answered(int id) {
        return pending.remove(id);
    }

    boolean allAnswered() {
        return pending.isEmpty();
    }
}
