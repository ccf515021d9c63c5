/** The one HTTP endpoint both components serve: metrics, liveness and readiness. */
package dev.ferrite.api.http;
