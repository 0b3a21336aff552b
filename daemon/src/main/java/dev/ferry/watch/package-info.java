/**
 * Recursive watching of a source tree: {@link dev.ferry.watch.TreeWatcher} registers every directory of the tree
 * with a {@link java.nio.file.WatchService} (inotify on Linux) and turns its events into {@link dev.ferry.watch.Change}
 * hints, "path P may have changed" or "rescan this subtree", on one virtual thread per tree. The hints are never the
 * truth: the caller ({@code daemon}) stats and diffs what they name against its index, so a lost event only costs
 * time as long as a rescan covers it (OVERFLOW, new directories, directories polled past the inotify watch limit).
 * Depends on {@code path} and {@code time} only.
 */
package dev.ferry.watch;
