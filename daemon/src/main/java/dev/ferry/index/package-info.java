/**
 * What the source tree holds, kept across restarts: a {@link dev.ferry.index.SourceIndex} maps each relative path
 * to its metadata and, for files, its chunk hashes, and is saved as a checksummed snapshot in the pair's state
 * folder ({@code IndexFile} draws the layout). A {@link dev.ferry.index.Scanner} stats the source and brings the
 * index up to date, hashing only files whose size, mtime or inode moved, so that a restart on an unchanged tree
 * reads no file content. A scan tells a {@link dev.ferry.index.ScanListener} of each directory before listing it and
 * of each entry found, so that the daemon's first walk also registers the watches and streams the first sync.
 *
 * <p>Used by {@code daemon} (one {@code SyncPair} thread owns each index and scanner); depends on {@code hash},
 * {@code path} and {@code wire.HashAlgorithm} only. Nothing here is thread-safe: every object has one owner.
 */
package dev.ferry.index;
