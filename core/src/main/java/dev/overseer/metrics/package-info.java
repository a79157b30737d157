/**
 * Micrometer metrics of supervisors, servers and stashes: {@link dev.overseer.metrics.OverseerMetrics}.
 * Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of
 * {@code overseer-core}), and {@code io.vertx:vertx-micrometer-metrics} only to use the registry
 * Vert.x set up.
 */
package dev.overseer.metrics;
