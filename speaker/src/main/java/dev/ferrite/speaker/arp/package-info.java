/**
 * ARP and NDP as values: frame codec, the answer to a request, the gratuitous-frame schedule,
 * interface choice and the claims this node announces. Pure: no pcap, no sockets.
 */
package dev.ferrite.speaker.arp;
