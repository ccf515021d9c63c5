package dev.ferrite.speaker.arp;

import java.util.Optional;

/** A 48-bit Ethernet address, held in the low 48 bits of a long. */
public record MacAddress(long value) {

    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);
    /** The Ethernet group every IPv6 node listens to (ff02::1). */
    public static final MacAddress IPV6_ALL_NODES = new MacAddress(0x3333_0000_0001L);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    public static MacAddress of(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (as in /sys/class/net/X/address); empty for anything else. */
    public static Optional<MacAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 6) {
            return Optional.empty();
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                return Optional.empty();
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return Optional.of(new MacAddress(v));
    }

    public void writeTo(byte[] bytes, int offset) {
        for (int i = 0; i < 6; i++) {
            bytes[offset + i] = (byte) (value >>> (40 - 8 * i));
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        writeTo(b, 0);
        return b;
    }

    /** Group bit set: broadcast and multicast destinations. */
    public boolean isGroup() {
        return ((value >>> 40) & 1) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (value >>> (40 - 8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
