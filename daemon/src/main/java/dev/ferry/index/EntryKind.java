package dev.ferry.index;

/** What a source path is. Special files (fifos, sockets, devices) are never indexed. */
public enum EntryKind {
    FILE,
    DIRECTORY,
    SYMLINK
}
