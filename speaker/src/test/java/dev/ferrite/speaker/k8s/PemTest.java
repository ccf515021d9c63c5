package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @Test
    void rsaKeysInPkcs8AndPkcs1ReadAsTheSameKey(@TempDir Path dir) throws Exception {
        KeyFixture rsa = KeyFixture.generate(dir, "RSA");
        PrivateKey fromPkcs8 = Pem.privateKey(rsa.pkcs8Pem());
        PrivateKey fromPkcs1 = Pem.privateKey(rsa.pkcs1Pem());
        assertEquals("RSA", fromPkcs1.getAlgorithm());
        assertArrayEquals(rsa.key().getEncoded(), fromPkcs8.getEncoded());
        assertArrayEquals(rsa.key().getEncoded(), fromPkcs1.getEncoded());
        // a certificate before the key, as some files bundle them
        assertArrayEquals(rsa.key().getEncoded(), Pem.privateKey(rsa.certificatePem() + rsa.pkcs1Pem()).getEncoded());
        assertEquals(rsa.certificate(), Pem.certificates(rsa.certificatePem()).get(0));
    }

    @Test
    void anEcKeyInSec1WithItsCurveReadsAsThePkcs8One(@TempDir Path dir) throws Exception {
        KeyFixture ec = KeyFixture.generate(dir, "EC");
        PrivateKey fromSec1 = Pem.privateKey(ec.sec1Pem(true));
        assertEquals("EC", fromSec1.getAlgorithm());
        assertEquals(((java.security.interfaces.ECPrivateKey) ec.key()).getS(),
                ((java.security.interfaces.ECPrivateKey) fromSec1).getS());
        assertEquals("EC", Pem.privateKey(ec.pkcs8Pem()).getAlgorithm());
        Pem.PemException e = assertThrows(Pem.PemException.class, () -> Pem.privateKey(ec.sec1Pem(false)));
        assertTrue(e.getMessage().contains("names no curve"), e.getMessage());
    }

    @Test
    void whatIsNotAKeyOrCertificateIsAnErrorThatShowsNoKeyMaterial() {
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0B\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertTrue(assertThrows(Pem.PemException.class, () -> Pem.privateKey(encrypted)).getMessage().contains("encrypted"));
        String garbage = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0IG5vdCBhIGtleQ==\n-----END RSA PRIVATE KEY-----\n";
        Pem.PemException e = assertThrows(Pem.PemException.class, () -> Pem.privateKey(garbage));
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        assertThrows(Pem.PemException.class, () -> Pem.privateKey("no pem here"));
        assertThrows(Pem.PemException.class, () -> Pem.privateKey("-----BEGIN EC PRIVATE KEY-----\nMAMCAQ==\n-----END EC PRIVATE KEY-----\n"));
        assertThrows(Pem.PemException.class, () -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertThrows(Pem.PemException.class, () -> Pem.certificates(""));
    }
}
