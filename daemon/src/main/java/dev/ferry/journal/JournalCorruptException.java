package dev.ferry.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The journal cannot be used as it is: a segment's header is damaged or written by an unknown format version. Not
 * a torn tail (those are cut and logged); this one stops the pair, because resuming from a journal we cannot read
 * could resend or skip work silently. An operator decides: moving the journal folder aside starts the pair afresh
 * (unfinished files are then planned again from a rescan).
 */
public final class JournalCorruptException extends IOException {
    private final Path file;
    private final String problem;

    public JournalCorruptException(Path file, String problem) {
        super("journal file=" + file + " cannot be used: " + problem
                + "; the pair stops (move the journal folder aside to start it afresh)");
        this.file = file;
        this.problem = problem;
    }

    /** The segment file that is damaged. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
