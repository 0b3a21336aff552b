package dev.ferry.status;

import java.util.List;

/**
 * A histogram of durations, in seconds, as Prometheus wants one.
 *
 * @param upperBounds each bucket's inclusive upper bound in seconds, ascending; a last bucket (+Inf) follows them
 * @param counts      observations per bucket (not cumulative): one more element than {@code upperBounds}
 * @param sumSeconds  the sum of all observations
 */
public record LatencyHistogram(List<Double> upperBounds, List<Long> counts, double sumSeconds) {
    public LatencyHistogram {
        upperBounds = List.copyOf(upperBounds);
        counts = List.copyOf(counts);
        if (counts.size() != upperBounds.size() + 1) {
            throw new IllegalArgumentException("counts must have one element more than upperBounds (+Inf)");
        }
    }

    /** All observations. */
    public long count() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
