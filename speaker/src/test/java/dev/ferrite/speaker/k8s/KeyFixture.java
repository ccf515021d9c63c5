package dev.ferrite.speaker.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key pair and self-signed certificate made by the JDK's {@code keytool}, in the PEM forms
 * kubeconfigs carry: the certificate, the key as PKCS #8, and (derived from it) as PKCS #1
 * for RSA or SEC 1 with its curve for EC.
 */
record KeyFixture(KeyStore store, X509Certificate certificate, PrivateKey key) {

    static final char[] PASSWORD = "changeit".toCharArray();

    /** {@code algorithm} RSA or EC, for CN=localhost with the SANs localhost and 127.0.0.1. */
    static KeyFixture generate(Path dir, String algorithm) throws IOException, GeneralSecurityException, InterruptedException {
        Path file = dir.resolve(algorithm + "-" + System.nanoTime() + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "k", "-keyalg", algorithm,
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        if (algorithm.equals("EC")) {
            cmd.addAll(List.of("-groupname", "secp256r1"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return new KeyFixture(store, (X509Certificate) store.getCertificate("k"), (PrivateKey) store.getKey("k", PASSWORD));
    }

    String certificatePem() throws GeneralSecurityException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    String pkcs8Pem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** RSA: the PKCS #1 key inside the PKCS #8 one (its OCTET STRING). */
    String pkcs1Pem() {
        return pem("RSA PRIVATE KEY", privateKeyOctets());
    }

    /**
     * EC: SEC 1 as openssl writes it, SEQUENCE { 1, key, [0] curve }, from the PKCS #8 key's
     * inner ECPrivateKey and its AlgorithmIdentifier's curve; {@code withCurve} false leaves
     * the curve out.
     */
    String sec1Pem(boolean withCurve) {
        byte[] der = key.getEncoded();
        int[] top = element(der, 0);
        int[] version = element(der, top[1]);
        int[] algorithm = element(der, version[2]);
        int[] keyOid = element(der, algorithm[1]);
        int[] curve = element(der, keyOid[2]);
        byte[] curveOid = Arrays.copyOfRange(der, keyOid[2], curve[2]);
        byte[] inner = privateKeyOctets();
        int[] seq = element(inner, 0);
        int[] v = element(inner, seq[1]);
        int[] k = element(inner, v[2]);
        byte[] body = concat(Arrays.copyOfRange(inner, seq[1], k[2]), withCurve ? tlv(0xa0, curveOid) : new byte[0]);
        return pem("EC PRIVATE KEY", tlv(0x30, body));
    }

    private byte[] privateKeyOctets() {
        byte[] der = key.getEncoded();
        int[] top = element(der, 0);
        int[] version = element(der, top[1]);
        int[] algorithm = element(der, version[2]);
        int[] octets = element(der, algorithm[2]);
        return Arrays.copyOfRange(der, octets[1], octets[2]);
    }

    /** The DER element at {@code at}: {start, content start, end}. */
    private static int[] element(byte[] der, int at) {
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length >= 0x80) {
            int n = length & 0x7f;
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {at, start, start + length};
    }

    private static byte[] tlv(int tag, byte[] content) {
        byte[] len = content.length < 0x80 ? new byte[] {(byte) content.length}
                : content.length < 0x100 ? new byte[] {(byte) 0x81, (byte) content.length}
                : new byte[] {(byte) 0x82, (byte) (content.length >> 8), (byte) content.length};
        return concat(new byte[] {(byte) tag}, len, content);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
