/**
 * The single {@code ferrite} command: one picocli entry point that dispatches to each
 * component's own command.
 */
package dev.ferrite.cli;
