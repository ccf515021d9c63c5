package dev.ferrite.speaker.membership;

import java.nio.charset.StandardCharsets;

/**
 * The key membership datagrams are authenticated with: the cluster's shared secret, or an
 * explicit, well-known insecure key that the operator has to ask for.
 */
public sealed interface MembershipSecret {

    byte[] key();

    /** The shared secret of the cluster (from a Kubernetes Secret mounted as a file). */
    record Shared(byte[] key) implements MembershipSecret {
        public Shared {
            if (key.length == 0) {
                throw new IllegalArgumentException("membership secret is empty");
            }
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "Shared[" + key.length + " bytes]";
        }
    }

    /**
     * No secret: datagrams are still checked for integrity with a fixed public key, so
     * insecure members only talk to other insecure members, but anybody on the network can
     * forge them. Only for labs and tests.
     */
    record Insecure() implements MembershipSecret {
        private static final byte[] PUBLIC_KEY = "ferrite-insecure-membership".getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] key() {
            return PUBLIC_KEY.clone();
        }
    }
}
