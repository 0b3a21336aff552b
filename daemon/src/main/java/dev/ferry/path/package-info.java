/**
 * {@link dev.ferry.path.RelativePath}: the one value type for a path relative to a folder root, '/'-separated
 * whatever the file system, as the watcher reports it, the index keys it, the planner and the push session send it
 * and the receiver checks it. Its rules and its joining, nesting and rebasing live here and nowhere else. Depends on
 * nothing of ours; used by watch, index, plan, push and receive.
 */
package dev.ferry.path;
