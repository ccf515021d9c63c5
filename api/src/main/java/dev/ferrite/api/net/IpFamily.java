package dev.ferrite.api.net;

/** Address family of a Service IP or pool range, named as Kubernetes names it. */
public enum IpFamily {
    IPv4(32),
    IPv6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }
}
