package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cost of the answer path without the wire: decode a captured frame, decide, build the reply.
 * Prints JSON. Run with
 * {@code java -cp <speaker test classpath> dev.ferrite.speaker.arp.FrameBenchmark}.
 */
public final class FrameBenchmark {

    private FrameBenchmark() {
    }

    public static void main(String[] args) {
        MacAddress ours = MacAddress.parse("02:fe:00:00:00:01").orElseThrow();
        Predicate<IpAddress> owned = Set.of(Frames.ip("198.18.99.200"), Frames.ip("2001:db8:99::200"))::contains;
        measure("arp-request", Frames.hex(Frames.KERNEL_ARP_REQUEST), ours, owned);
        measure("neighbor-solicitation", Frames.hex(Frames.KERNEL_NEIGHBOR_SOLICITATION), ours, owned);
    }

    private static void measure(String name, byte[] frame, MacAddress ours, Predicate<IpAddress> owned) {
        int n = 2_000_000;
        long replies = 0;
        for (int i = 0; i < n; i++) {
            replies += Responder.answer(FrameCodec.decode(frame), ours, owned) instanceof Responder.Reply ? 1 : 0;
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            replies += Responder.answer(FrameCodec.decode(frame), ours, owned) instanceof Responder.Reply ? 1 : 0;
        }
        double ns = (System.nanoTime() - start) / (double) n;
        System.out.printf("{\"benchmark\":\"decode-and-answer\",\"frame\":\"%s\",\"frames\":%d,\"nsPerFrame\":%.0f,"
                + "\"replies\":%d}%n", name, n, ns, replies);
    }
}
