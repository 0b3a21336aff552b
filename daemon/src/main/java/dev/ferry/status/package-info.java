/**
 * What a running ferry reports about itself: an immutable snapshot ({@link dev.ferry.status.DaemonStatus}) of every
 * pair, target and the receiver, with their counters, taken on request. The daemon and the receiver fill it in; the
 * control socket ({@code ferry status}) and the metrics endpoint only read it. Records only, plus the small
 * thread-safe {@link dev.ferry.status.LatencyRecorder}; depends on nothing else of ferry's.
 */
package dev.ferry.status;
