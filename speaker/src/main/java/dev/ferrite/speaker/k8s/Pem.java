package dev.ferrite.speaker.k8s;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys in PEM, as kubeconfigs and service accounts carry them: X.509
 * certificates, and keys as PKCS #8 ({@code PRIVATE KEY}), PKCS #1 ({@code RSA PRIVATE KEY})
 * or SEC 1 ({@code EC PRIVATE KEY}, as {@code openssl} and kubeadm write them). Encrypted keys
 * are refused. Errors say what was expected, never echo key material.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters: the algorithm of a PKCS #8 RSA key. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    /** Thrown for text that is not what was asked for. */
    public static final class PemException extends GeneralSecurityException {
        PemException(String message) {
            super(message);
        }
    }

    /** Every certificate in {@code pem}; at least one. */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new PemException("no certificate in it");
            }
            return out;
        } catch (CertificateException e) {
            throw new PemException("not a PEM certificate: " + e.getMessage());
        }
    }

    /** The first private key in {@code pem}, RSA or EC. */
    public static PrivateKey privateKey(String pem) throws PemException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).strip());
            } catch (IllegalArgumentException e) {
                throw new PemException("the " + type + " block is not base64");
            }
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tagged(0x04, der))));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00},
                            sequence(concat(EC_PUBLIC_KEY, curveOf(der))), tagged(0x04, der))));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new PemException("the private key is encrypted; give it unencrypted");
                default -> {
                    // a certificate or parameters block before the key: look further
                }
            }
        }
        throw new PemException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in it");
    }

    private static PrivateKey pkcs8(byte[] der) throws PemException {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // the other algorithm, then give up
            }
        }
        throw new PemException("not an RSA or EC private key");
    }

    /**
     * The curve of a SEC 1 ECPrivateKey: its {@code [0]} parameters, an OID. The structure is
     * SEQUENCE { INTEGER 1, OCTET STRING key, [0] OID curve OPTIONAL, [1] BIT STRING OPTIONAL }.
     */
    private static byte[] curveOf(byte[] der) throws PemException {
        Der seq = new Der(der, 0);
        if (seq.tag != 0x30) {
            throw new PemException("the EC PRIVATE KEY block is not a SEC 1 key");
        }
        int at = seq.contentStart;
        while (at < seq.end) {
            Der element = new Der(der, at);
            if (element.tag == 0xa0) {
                Der oid = new Der(der, element.contentStart);
                if (oid.tag == 0x06) {
                    return java.util.Arrays.copyOfRange(der, element.contentStart, oid.end);
                }
            }
            at = element.end;
        }
        throw new PemException("the EC PRIVATE KEY names no curve; give it as PKCS #8 (PRIVATE KEY)");
    }

    /** One DER element: its tag, where its content starts and where it ends. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] der, int at) throws PemException {
            if (at + 2 > der.length) {
                throw new PemException("the key's DER ends early");
            }
            tag = der[at] & 0xff;
            int length = der[at + 1] & 0xff;
            int start = at + 2;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3 || start + bytes > der.length) {
                    throw new PemException("the key's DER has a length it cannot have");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += bytes;
            }
            if (start + length > der.length) {
                throw new PemException("the key's DER ends early");
            }
            contentStart = start;
            end = start + length;
        }
    }

    private static byte[] sequence(byte[] content) {
        return tagged(0x30, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
