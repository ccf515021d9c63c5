package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;

/**
 * What probing an IP before its first announcement found (ARP probe from 0.0.0.0, duplicate
 * address detection from ::): nobody outside the cluster answered, or {@code mac} did.
 */
public sealed interface ProbeResult {

    IpAddress ip();

    /** No host outside the cluster answered within the probe's wait: the IP may be announced. */
    record Free(IpAddress ip) implements ProbeResult {
    }

    /** {@code mac} answered ({@code how}) on {@code interfaceName}: the IP is taken, do not announce it. */
    record InUse(IpAddress ip, String mac, String how, String interfaceName) implements ProbeResult {
    }
}
