/**
 * The long-running daemon: {@link dev.ferry.daemon.Daemon} starts the receiver and the sync pairs a config names
 * and stops them on SIGTERM. A {@code SyncPair} owns one source folder's index and watcher and turns changes into
 * plans; one {@code TargetLink} per target carries those plans out over push sessions, reconciling from the
 * receiver's listing whenever it (re)connects. Called by {@code cli}; uses {@code watch}, {@code index},
 * {@code push}, {@code receive}.
 */
package dev.ferry.daemon;
