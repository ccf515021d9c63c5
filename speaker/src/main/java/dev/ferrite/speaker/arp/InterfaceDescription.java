package dev.ferrite.speaker.arp;

import java.util.Optional;

/**
 * One network interface of this host as the announcer needs to see it (read from
 * /sys/class/net by {@code pcap.SysfsInterfaces}).
 *
 * @param up        administratively up (IFF_UP)
 * @param broadcast can broadcast (IFF_BROADCAST), so ARP works on it
 * @param loopback  IFF_LOOPBACK
 * @param ethernet  link type 1 (ARPHRD_ETHER): the frames we write are Ethernet
 * @param memberOf  the bridge or bond it is enslaved to, if any: announcing belongs on the master
 * @param mac       its hardware address, empty when it has none
 */
public record InterfaceDescription(
        String name,
        boolean up,
        boolean broadcast,
        boolean loopback,
        boolean ethernet,
        Optional<String> memberOf,
        Optional<MacAddress> mac) {
}
