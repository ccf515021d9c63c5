/**
 * The announcer on the wire: pcap4j handles and their capture threads, IPv6 multicast groups,
 * and the host's interfaces from /sys/class/net.
 */
package dev.ferrite.speaker.arp.pcap;
