package dev.ferry.wire;

/**
 * What a path is: a regular file, a directory or a symlink. Special files (fifos, sockets, devices) are never synced.
 * The source index records it, the planner compares it, an OFFER carries a file or a directory and a LISTING entry
 * any of the three; {@link #code} is its byte on the wire.
 */
public enum EntryKind {
    FILE(0), DIRECTORY(1), SYMLINK(2);

    /** The wire byte: 0 file, 1 directory, 2 symlink. */
    final int code;

    EntryKind(int code) {
        this.code = code;
    }
}
