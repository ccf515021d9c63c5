/**
 * The controller's Prometheus metrics; {@link dev.ferrite.api.http.HealthServer} serves them
 * with the health and readiness probes.
 */
package dev.ferrite.controller.metrics;
