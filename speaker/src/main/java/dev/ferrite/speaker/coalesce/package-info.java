/** The one coalescing scheduler the speaker's loops share: bursts of changes, one run each. */
package dev.ferrite.speaker.coalesce;
