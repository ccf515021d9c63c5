/**
 * The controller process: {@code ferrite controller} and the wiring of informers, allocator,
 * status writers, webhook and leader election.
 */
package dev.ferrite.controller;
