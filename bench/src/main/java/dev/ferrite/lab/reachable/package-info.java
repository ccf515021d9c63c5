/**
 * {@code ferrite bench reachable}: how long a new Service takes to answer a client through
 * the lab, and how long a deleted one keeps answering; the client-side probe it runs and the
 * process footprint it reads from {@code /proc}.
 */
package dev.ferrite.lab.reachable;
