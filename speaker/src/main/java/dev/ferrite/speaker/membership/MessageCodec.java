package dev.ferrite.speaker.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wire format of membership datagrams, authenticated with HMAC-SHA256 over the whole
 * datagram under the shared secret. Layout (big-endian): magic "FM", version, type, flags,
 * sender boot epoch (8), sequence (8), view digest (8), sender claim, claim count (2),
 * claims, then the 32-byte MAC. A claim is: name (1-byte length + UTF-8), address (1-byte
 * length + 4 or 16 bytes), port (2), incarnation (8), status (1).
 *
 * <p>The MAC is checked before anything else is parsed, so an unauthenticated datagram
 * costs one HMAC and is never interpreted. Replay protection is the caller's job, using
 * the epoch and sequence returned here (see {@link ReplayWindow}).
 */
final class MessageCodec {
    static final int MAX_DATAGRAM = 1400;
    private static final int HEADER = 2 + 1 + 1 + 1 + 8 + 8 + 8 + 2;
    private static final int MAC_LENGTH = 32;
    private static final byte VERSION = 1;
    /** The enums' values, read once: {@code values()} copies its array at every call. */
    private static final MembershipMessage.Type[] TYPES = MembershipMessage.Type.values();
    private static final MemberStatus[] STATUSES = MemberStatus.values();

    /** Result of reading a datagram. */
    sealed interface Decoded {
        record Valid(MembershipMessage message, long epoch, long seq) implements Decoded {
        }

        /** The MAC did not match: wrong secret, tampering, or not a membership datagram. */
        record Unauthenticated() implements Decoded {
        }

        /** Authenticated but unreadable: a sender running an incompatible version. */
        record Malformed(String reason) implements Decoded {
        }
    }

    private final Mac mac;

    MessageCodec(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    synchronized byte[] encode(MembershipMessage m, long epoch, long seq) {
        int size = HEADER + size(m.sender()) + MAC_LENGTH;
        for (Member c : m.claims()) {
            size += size(c);
        }
        if (size > MAX_DATAGRAM) {
            throw new IllegalArgumentException("claims do not fit in one datagram; use pack()");
        }
        ByteBuffer b = ByteBuffer.allocate(MAX_DATAGRAM);
        b.put((byte) 'F').put((byte) 'M').put(VERSION).put((byte) m.type().ordinal())
                .put((byte) (m.replyWanted() ? 1 : 0)).putLong(epoch).putLong(seq).putLong(m.digest());
        putMember(b, m.sender());
        b.putShort((short) m.claims().size());
        for (Member c : m.claims()) {
            putMember(b, c);
        }
        mac.update(b.array(), 0, b.position());
        b.put(mac.doFinal());
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    synchronized Decoded decode(byte[] data, int length) {
        if (length < MAC_LENGTH + 5) {
            return new Decoded.Unauthenticated();
        }
        mac.update(data, 0, length - MAC_LENGTH);
        byte[] expected = mac.doFinal();
        byte[] got = new byte[MAC_LENGTH];
        System.arraycopy(data, length - MAC_LENGTH, got, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, got)) {
            return new Decoded.Unauthenticated();
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data, 0, length - MAC_LENGTH);
            if (b.get() != 'F' || b.get() != 'M') {
                return new Decoded.Malformed("bad magic");
            }
            byte version = b.get();
            if (version != VERSION) {
                return new Decoded.Malformed("version " + version + ", expected " + VERSION);
            }
            int type = b.get();
            if (type < 0 || type >= TYPES.length) {
                return new Decoded.Malformed("message type " + type);
            }
            boolean replyWanted = b.get() == 1;
            long epoch = b.getLong();
            long seq = b.getLong();
            long digest = b.getLong();
            Member sender = getMember(b);
            int count = b.getShort() & 0xffff;
            List<Member> claims = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                claims.add(getMember(b));
            }
            return new Decoded.Valid(new MembershipMessage(TYPES[type], sender, digest,
                    replyWanted, claims), epoch, seq);
        } catch (BufferUnderflowException | IllegalArgumentException | UnknownHostException e) {
            return new Decoded.Malformed(e.toString());
        }
    }

    /** Splits claims into groups that each fit in one datagram from {@code sender}. */
    static List<List<Member>> pack(Member sender, List<Member> claims) {
        int budget = MAX_DATAGRAM - HEADER - MAC_LENGTH - size(sender);
        List<List<Member>> chunks = new ArrayList<>();
        List<Member> current = new ArrayList<>();
        int used = 0;
        for (Member c : claims) {
            int s = size(c);
            if (used + s > budget && !current.isEmpty()) {
                chunks.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(c);
            used += s;
        }
        if (!current.isEmpty() || chunks.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    static int size(Member m) {
        return 1 + m.name().getBytes(StandardCharsets.UTF_8).length + 1 + m.address().getAddress().getAddress().length
                + 2 + 8 + 1;
    }

    private static void putMember(ByteBuffer b, Member m) {
        byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("node name longer than 255 bytes: " + m.name());
        }
        b.put((byte) name.length).put(name);
        byte[] addr = m.address().getAddress().getAddress();
        b.put((byte) addr.length).put(addr);
        b.putShort((short) m.address().getPort());
        b.putLong(m.incarnation());
        b.put((byte) m.status().ordinal());
    }

    private static Member getMember(ByteBuffer b) throws UnknownHostException {
        byte[] name = new byte[b.get() & 0xff];
        b.get(name);
        byte[] addr = new byte[b.get() & 0xff];
        b.get(addr);
        int port = b.getShort() & 0xffff;
        long incarnation = b.getLong();
        int status = b.get();
        if (status < 0 || status >= STATUSES.length) {
            throw new IllegalArgumentException("member status " + status);
        }
        return new Member(new String(name, StandardCharsets.UTF_8),
                new InetSocketAddress(InetAddress.getByAddress(addr), port), incarnation, STATUSES[status]);
    }
}
