package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final byte[] KEY = "k8s-secret-value".getBytes(StandardCharsets.UTF_8);
    private static final Member SENDER = new Member("node-a", new InetSocketAddress("198.18.0.10", 7946), 42,
            MemberStatus.ALIVE);

    private static MembershipMessage message() {
        return new MembershipMessage(MembershipMessage.Type.STATE, SENDER, 99, true, List.of(
                new Member("node-b", new InetSocketAddress("2001:db8::2", 7946), 7, MemberStatus.SUSPECT),
                new Member("node-c", new InetSocketAddress("198.18.0.12", 7000), 8, MemberStatus.LEFT)));
    }

    @Test
    void roundTripsEveryField() {
        MessageCodec codec = new MessageCodec(KEY);
        byte[] wire = codec.encode(message(), 1234, 5);
        MessageCodec.Decoded.Valid v = assertInstanceOf(MessageCodec.Decoded.Valid.class, codec.decode(wire, wire.length));
        assertEquals(message(), v.message());
        assertEquals(1234, v.epoch());
        assertEquals(5, v.seq());
    }

    @Test
    void wrongSecretIsUnauthenticated() {
        byte[] wire = new MessageCodec(KEY).encode(message(), 1, 1);
        assertInstanceOf(MessageCodec.Decoded.Unauthenticated.class,
                new MessageCodec("other".getBytes(StandardCharsets.UTF_8)).decode(wire, wire.length));
    }

    @Test
    void anyFlippedBitIsUnauthenticated() {
        MessageCodec codec = new MessageCodec(KEY);
        byte[] wire = codec.encode(message(), 1, 1);
        for (int i = 0; i < wire.length; i += 7) {
            byte[] copy = wire.clone();
            copy[i] ^= 0x10;
            assertInstanceOf(MessageCodec.Decoded.Unauthenticated.class, codec.decode(copy, copy.length), "byte " + i);
        }
    }

    @Test
    void truncatedDatagramIsUnauthenticated() {
        MessageCodec codec = new MessageCodec(KEY);
        byte[] wire = codec.encode(message(), 1, 1);
        assertInstanceOf(MessageCodec.Decoded.Unauthenticated.class, codec.decode(wire, 20));
    }

    @Test
    void packedChunksEachFitInOneDatagram() {
        MessageCodec codec = new MessageCodec(KEY);
        List<Member> claims = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            claims.add(new Member("worker-node-with-a-long-name-" + i, new InetSocketAddress("2001:db8::1", 7946), i,
                    MemberStatus.ALIVE));
        }
        List<List<Member>> chunks = MessageCodec.pack(SENDER, claims);
        assertEquals(1000, chunks.stream().mapToInt(List::size).sum());
        for (List<Member> chunk : chunks) {
            byte[] wire = codec.encode(new MembershipMessage(MembershipMessage.Type.STATE, SENDER, 0, false, chunk), 1, 1);
            assertTrue(wire.length <= MessageCodec.MAX_DATAGRAM, "datagram of " + wire.length + " bytes");
        }
    }
}
