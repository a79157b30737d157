/**
 * Health of supervisors: {@link dev.overseer.health.SupervisorHealth} (core only), and
 * {@link dev.overseer.health.OverseerHealthChecks} to register it as vertx-health-check
 * procedures ({@code io.vertx:vertx-health-check}, an optional dependency of {@code overseer-core}).
 */
package dev.overseer.health;
