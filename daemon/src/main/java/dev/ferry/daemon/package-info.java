/**
 * The long-running daemon, its lifecycle and wiring: {@link dev.ferry.daemon.Daemon} starts the receiver and the sync
 * pairs a config names, applies a reloaded config ({@code ConfigChange}, {@code Reload}) on SIGHUP and stops them on
 * SIGTERM, under one shutdown deadline ({@code shutdown-timeout}). A {@code SyncPair} owns one source
 * folder's index and watcher and asks {@code plan} what to send; one {@code TargetLink} per target carries those
 * deltas out over push sessions and reports each receiver listing back to its pair through a listener, so the pair
 * reconciles whenever a target (re)connects. A pair's start walks its source once ({@code FirstWalk}): the watches,
 * the index and the first files streamed to the targets that have listed. Called by {@code cli}; uses {@code plan}, {@code watch}, {@code index},
 * {@code push}, {@code receive}, {@code journal}.
 */
package dev.ferry.daemon;
