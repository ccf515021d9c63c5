/**
 * The speaker's Prometheus metrics.
 */
package dev.ferrite.speaker.metrics;
