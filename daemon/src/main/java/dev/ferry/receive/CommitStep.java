package dev.ferry.receive;

/** What {@link IncomingFile#commit} made of a COMMIT: the session acts on it, the file is not asked again. */
sealed interface CommitStep {
    /** Inline, with a refused chunk being sent again: the commit is kept and runs once that chunk is in. */
    record Waiting() implements CommitStep {
    }

    /** The final path held this exact file: its mode and mtime are applied, and that was all (answer DONE). */
    record Unchanged() implements CommitStep {
    }

    /** Every chunk is in and the whole-file hash checks out: the commit group forces and installs it. */
    record Verified(VerifiedFile file) implements CommitStep {
    }
}
