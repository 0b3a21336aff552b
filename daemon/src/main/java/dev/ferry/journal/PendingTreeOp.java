package dev.ferry.journal;

import java.util.Objects;

/** A queued {@link TreeOp} the receiver has not answered yet, under the id {@link Journal#queueTreeOp} gave it. */
public record PendingTreeOp(long opId, TreeOp op) {
    public PendingTreeOp {
        Objects.requireNonNull(op, "op");
    }
}
