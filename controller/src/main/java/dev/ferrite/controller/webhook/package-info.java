/**
 * The validating admission webhook: rejects a pool or advertisement change that would make the
 * whole configuration invalid.
 */
package dev.ferrite.controller.webhook;
