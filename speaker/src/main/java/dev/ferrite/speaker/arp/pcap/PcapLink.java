package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.MacAddress;
import dev.ferrite.speaker.arp.Responder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface on the wire: its pcap handle and the capture thread that hands every ARP
 * frame and Neighbor Solicitation to a listener. Handles use immediate mode (a frame is
 * delivered the moment it arrives, not when a buffer fills), capture inbound frames only,
 * and are warmed up with one harmless frame at open: the first send through a fresh handle
 * costs about 20 ms, which must not land on the first gratuitous ARP of a failover.
 * Needs CAP_NET_RAW.
 */
final class PcapLink {

    private static final Logger log = LoggerFactory.getLogger(PcapLink.class);

    /** ARP, and ICMPv6 whose first payload byte (the type) is 135, Neighbor Solicitation. */
    /** ARP, Neighbor Solicitations (to answer) and Neighbor Advertisements (to notice foreign claims). */
    static final String CAPTURE_FILTER = "arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))";
    /** Long enough for an NS with source link-layer and nonce options (94 bytes). */
    static final int SNAPLEN = 128;
    /**
     * pcap read timeout; immediate mode delivers at once, and {@link #close} and a new filter
     * wake the loop with pcap_breakloop, so this only bounds idle polls: each wakes a speaker
     * at rest, which at 100 ms was ten times a second.
     */
    static final int READ_TIMEOUT_MS = 1_000;
    /** IEEE 802 "local experimental" ethertype: nobody acts on the warm-up frame. */
    private static final int WARM_UP_ETHERTYPE = 0x88B5;

    /** What a link reports: each captured frame, and the end of its capture. */
    interface Listener {
        void onFrame(PcapLink link, byte[] raw);

        /** The capture failed (the interface vanished, say); the handle is closed already. */
        void onCaptureFailed(PcapLink link, String reason);
    }

    final String name;
    final MacAddress mac;
    private final PcapHandle handle;
    private final Thread capture;
    private final Listener listener;
    private volatile boolean running = true;
    /** The filter the capture thread is to install at its next turn; null when none is pending. */
    private final AtomicReference<String> pendingFilter = new AtomicReference<>();
    /** The probe senders last asked to be excluded. */
    private volatile Set<MacAddress> excluded = Set.of();

    /** Opens, filters and warms up a handle on {@code name}, then starts its capture thread. */
    PcapLink(String name, MacAddress mac, Listener listener) throws PcapNativeException, NotOpenException {
        this.name = name;
        this.mac = mac;
        this.listener = listener;
        long started = System.nanoTime();
        this.handle = new PcapHandle.Builder(name)
                .snaplen(SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MS)
                .immediateMode(true)
                .direction(PcapHandle.PcapDirection.IN)
                .build();
        try {
            handle.setFilter(CAPTURE_FILTER, BpfProgram.BpfCompileMode.OPTIMIZE);
            long warmStart = System.nanoTime();
            handle.sendPacket(warmUpFrame(mac));
            long warmed = System.nanoTime();
            // Load the codec and responder classes now too, not on the first request.
            Responder.answer(FrameCodec.decode(FrameCodec.gratuitousArpRequest(mac, IpAddress.ofV4(0))), mac,
                    ip -> false);
            log.info("capturing on interface {} ({}): opened in {} ms, first send took {} µs", name, mac,
                    (warmStart - started) / 1_000_000, (warmed - warmStart) / 1_000);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            handle.close();
            throw e;
        }
        this.capture = new Thread(this::captureLoop, "ferrite-capture-" + name);
        capture.setDaemon(true);
        capture.start();
    }

    /**
     * Runs pcap's own loop until {@link #close} breaks it. pcap_next_ex with a read
     * timeout would be simpler, but libpcap 1.10 in immediate mode blocks in it until a
     * frame arrives, so a quiet interface could never be closed; pcap_breakloop wakes it.
     */
    private void captureLoop() {
        RawPacketListener frames = raw -> {
            try {
                listener.onFrame(this, raw);
            } catch (RuntimeException e) {
                // A bug in handling one frame must not stop answering for every IP here.
                log.error("handling a frame on interface {} failed", name, e);
            }
        };
        try {
            while (running) {
                try {
                    handle.loop(-1, frames);
                } catch (InterruptedException e) {
                    // broken by close(), or by a new filter: libpcap's filter may only change
                    // while no loop reads with it, so this thread installs it between loops
                    installPendingFilter();
                }
            }
        } catch (NotOpenException e) {
            // closed
        } catch (PcapNativeException e) {
            if (running) {
                running = false;
                handle.close();
                listener.onCaptureFailed(this, e.getMessage());
            }
        }
    }

    /**
     * Stops capturing the conflict probes (ARP probes from 0.0.0.0, duplicate address detection
     * from ::) that {@code senders} send: the cluster's other members, whose periodic probes of
     * the IPs they announce would otherwise wake every speaker's capture thread for nothing (a
     * member's probe is neither a claim nor answered as a conflict). The kernel drops them,
     * by the capture filter. Any thread; the capture thread applies it.
     */
    void excludeProbesFrom(Set<MacAddress> senders) {
        Set<MacAddress> next = Set.copyOf(senders);
        if (next.equals(excluded)) {
            return;
        }
        excluded = next;
        pendingFilter.set(filterExcluding(next));
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // closed: nothing to filter
        }
    }

    private void installPendingFilter() throws NotOpenException {
        String filter = pendingFilter.getAndSet(null);
        if (filter == null || !running) {
            return;
        }
        try {
            handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            log.info("interface {}: capture filter now leaves out the conflict probes of {} cluster members", name,
                    excluded.size());
        } catch (PcapNativeException e) {
            // the old filter stays: every probe is captured and ignored, as before
            log.warn("interface {}: cannot exclude the members' conflict probes from the capture: {}", name, e.getMessage());
        }
    }

    /** {@link #CAPTURE_FILTER} without the conflict probes of {@code senders}. */
    static String filterExcluding(Set<MacAddress> senders) {
        if (senders.isEmpty()) {
            return CAPTURE_FILTER;
        }
        StringJoiner from = new StringJoiner(" or ", "(", ")");
        senders.stream().map(MacAddress::toString).sorted().forEach(m -> from.add("ether src " + m));
        return "(" + CAPTURE_FILTER + ") and not (" + from + " and ((arp and arp[14:4] == 0) or (ip6 and ip6[8:4] == 0 "
                + "and ip6[12:4] == 0 and ip6[16:4] == 0 and ip6[20:4] == 0)))";
    }

    /** Sends one frame; false when it could not be sent (logged). */
    boolean send(byte[] frame) {
        try {
            handle.sendPacket(frame);
            return true;
        } catch (PcapNativeException e) {
            log.warn("sending on interface {} failed: {}", name, e.getMessage());
            return false;
        } catch (NotOpenException e) {
            return false;
        }
    }

    /** Stops the capture thread and closes the handle. */
    void close() {
        running = false;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // the capture already failed and closed it
        }
        try {
            capture.join(2L * READ_TIMEOUT_MS + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handle.close();
    }

    /** The frame that warms a handle up: to ourselves, of a type no host acts on. */
    static byte[] warmUpFrame(MacAddress mac) {
        byte[] f = new byte[60];
        mac.writeTo(f, 0);
        mac.writeTo(f, 6);
        f[12] = (byte) (WARM_UP_ETHERTYPE >> 8);
        f[13] = (byte) WARM_UP_ETHERTYPE;
        byte[] text = "ferrite announcer warm-up".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, f, 14, text.length);
        return f;
    }
}
