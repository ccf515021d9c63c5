package dev.ferrite.speaker.membership;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free UDP addresses on 127.0.0.1 for members run side by side (benchmark, tests). Ports are
 * taken below the kernel's ephemeral range (32768+ on Linux), so the heartbeat sockets that
 * members open on ephemeral ports can never occupy an address handed out here before its
 * member binds it.
 */
final class LoopbackPorts {
    /** Ports already handed out in this JVM: a closed probe socket does not reserve its port. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    static InetSocketAddress free() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + r.nextInt(12_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            InetSocketAddress candidate = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try (DatagramSocket s = new DatagramSocket(candidate)) {
                return candidate;
            } catch (IOException taken) {
                // Someone has it; try another.
            }
        }
        throw new IllegalStateException("no free UDP port in 20000-31999 on 127.0.0.1");
    }
}
