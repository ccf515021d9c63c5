package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.HexFormat;
import java.util.Optional;

/** Frames for tests: two captured from a Linux 6.18 kernel, and a Neighbor Solicitation builder. */
public final class Frames {

    private Frames() {
    }

    /** {@code ping 198.18.99.200} from 198.18.99.1 at 02:00:00:00:00:0c: "who has 198.18.99.200 tell 198.18.99.1". */
    public static final String KERNEL_ARP_REQUEST = "ffffffffffff02000000000c0806"
            + "0001080006040001" + "02000000000c" + "c6126301" + "000000000000" + "c61263c8";

    /** {@code ping 2001:db8:99::200} from 2001:db8:99::1: NS to the solicited-node group, checksum 0x16ee. */
    public static final String KERNEL_NEIGHBOR_SOLICITATION = "3333ff000200" + "02000000000c" + "86dd"
            + "6000000000203aff" + "20010db8009900000000000000000001" + "ff0200000000000000000001ff000200"
            + "870016ee00000000" + "20010db8009900000000000000000200" + "0101" + "02000000000c";

    public static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    public static MacAddress mac(String text) {
        return MacAddress.parse(text).orElseThrow();
    }

    /** A Neighbor Solicitation with a correct checksum, as a Linux host would send it. */
    public static byte[] solicitation(MacAddress ethDst, MacAddress ethSrc, IpAddress source, IpAddress destination,
            IpAddress target, Optional<MacAddress> sourceLinkLayer) {
        int icmpLength = 24 + (sourceLinkLayer.isPresent() ? 8 : 0);
        byte[] f = new byte[14 + 40 + icmpLength];
        ethDst.writeTo(f, 0);
        ethSrc.writeTo(f, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        f[14] = 0x60;
        f[18] = (byte) (icmpLength >> 8);
        f[19] = (byte) icmpLength;
        f[20] = 58;
        f[21] = (byte) 255;
        System.arraycopy(source.toBytes(), 0, f, 22, 16);
        System.arraycopy(destination.toBytes(), 0, f, 38, 16);
        f[54] = (byte) 135;
        System.arraycopy(target.toBytes(), 0, f, 62, 16);
        sourceLinkLayer.ifPresent(m -> {
            f[78] = 1;
            f[79] = 1;
            m.writeTo(f, 80);
        });
        fixChecksum(f);
        return f;
    }

    /** Recomputes the ICMPv6 checksum of an Ethernet/IPv6/ICMPv6 frame after a test edited it. */
    public static void fixChecksum(byte[] f) {
        f[56] = 0;
        f[57] = 0;
        int length = ((f[18] & 0xFF) << 8) | (f[19] & 0xFF);
        int sum = FrameCodec.icmpv6Checksum(f, 22, 38, 54, Math.min(length, f.length - 54));
        f[56] = (byte) (sum >> 8);
        f[57] = (byte) sum;
    }
}
