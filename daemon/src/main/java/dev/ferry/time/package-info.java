/**
 * Time as ferry's logic sees it: one {@link dev.ferry.time.FerryClock} (monotonic nanoseconds for deadlines and
 * debounce, wall-clock instants for ages written to disk) injected wherever time decides behaviour, so that tests can
 * move it by hand; and {@link dev.ferry.time.Deadline}, one point in time shared by everything a shutdown waits for.
 * Depends on nothing of ours; used by every stage.
 */
package dev.ferry.time;
