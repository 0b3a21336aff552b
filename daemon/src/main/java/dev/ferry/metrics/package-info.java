/**
 * The Prometheus endpoint ({@code metrics: HOST:PORT} in the config): {@link dev.ferry.metrics.MetricsEndpoint}
 * serves {@code GET /metrics} in the Prometheus text format, built at each scrape from one
 * {@link dev.ferry.status.DaemonStatus} snapshot. Nothing in the data path calls a metrics library: the daemon and
 * the receiver keep their counters in the {@code status} model, and this package only reads it. Built on the official
 * Prometheus Java client's snapshot model, text writer and HTTP server (chosen over Micrometer by start-up cost and
 * footprint: {@code bench/results-metrics-libs.txt}). Started and closed by {@code cli}; depends on {@code status}
 * only.
 */
package dev.ferry.metrics;
