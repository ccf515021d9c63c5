/**
 * IP addresses, families and ranges as values, IPv4 and IPv6 alike; no name lookups, no
 * sockets.
 */
package dev.ferrite.api.net;
