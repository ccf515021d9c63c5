/**
 * The controller's Prometheus metrics and its health and readiness answers.
 */
package dev.ferrite.controller.metrics;
