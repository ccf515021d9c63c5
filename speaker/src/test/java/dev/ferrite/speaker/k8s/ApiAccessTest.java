package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The speaker's access to the API from kubeconfigs and a service account, over real TLS with client certificates. */
class ApiAccessTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static Path kubeconfig(Path dir, String cluster, String user) throws IOException {
        return Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: ctx
                contexts:
                - name: other
                  context: {cluster: nowhere, user: nobody}
                - name: ctx
                  context: {cluster: c, user: u, namespace: default}
                clusters:
                - name: c
                  cluster:
                %s
                users:
                - name: u
                  user:
                %s
                """.formatted(cluster.indent(4).stripTrailing(), user.indent(4).stripTrailing()));
    }

    /**
     * An HTTPS server with {@code server}'s certificate that requires a client certificate signed
     * by (here: equal to) {@code client}'s, and answers with the client's subject and the
     * Authorization header it got.
     */
    private static HttpsServer server(KeyFixture server, KeyFixture client) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server.store(), KeyFixture.PASSWORD);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("client", client.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        https.createContext("/", exchange -> {
            String subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            byte[] body = (subject + " " + exchange.getRequestHeaders().getFirst("Authorization")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        return https;
    }

    @Test
    void aClientCertificateAndTheClustersCaFromTheKubeconfigReachAnHttpsApi(@TempDir Path dir) throws Exception {
        KeyFixture serverKey = KeyFixture.generate(dir, "RSA");
        for (String algorithm : new String[] {"RSA", "EC"}) {
            KeyFixture clientKey = KeyFixture.generate(dir, algorithm);
            String key = algorithm.equals("RSA") ? clientKey.pkcs1Pem() : clientKey.sec1Pem(true);
            HttpsServer https = server(serverKey, clientKey);
            try {
                Files.writeString(dir.resolve("client.key"), key);
                Path config = kubeconfig(dir, """
                        server: https://127.0.0.1:%d/
                        certificate-authority-data: %s""".formatted(https.getAddress().getPort(), b64(serverKey.certificatePem())),
                        """
                        client-certificate-data: %s
                        client-key: client.key
                        token: t0ken""".formatted(b64(clientKey.certificatePem())));
                ApiAccess access = ApiAccess.kubeconfig(config);
                assertEquals(URI.create("https://127.0.0.1:" + https.getAddress().getPort()), access.server());
                assertEquals(Optional.of("t0ken"), access.token());
                KubeApi.Answer r = new KubeApi(access).call("GET", "/api", null);
                assertEquals(200, r.code());
                assertEquals("CN=localhost Bearer t0ken", r.body(), algorithm);
            } finally {
                https.stop(0);
            }
        }
    }

    @Test
    void aServerTheCaDoesNotVouchForIsRefused(@TempDir Path dir) throws Exception {
        KeyFixture serverKey = KeyFixture.generate(dir, "RSA");
        KeyFixture otherCa = KeyFixture.generate(dir, "RSA");
        KeyFixture clientKey = KeyFixture.generate(dir, "RSA");
        HttpsServer https = server(serverKey, clientKey);
        try {
            Path config = kubeconfig(dir, """
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s""".formatted(https.getAddress().getPort(), b64(otherCa.certificatePem())),
                    """
                    client-certificate-data: %s
                    client-key-data: %s""".formatted(b64(clientKey.certificatePem()), b64(clientKey.pkcs8Pem())));
            IOException e = assertThrows(IOException.class, () -> new KubeApi(ApiAccess.kubeconfig(config)).call("GET", "/api", null));
            assertTrue(e.getMessage().contains("PKIX") || e.getMessage().contains("certification path"), e.getMessage());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aTokenFileNextToTheKubeconfigAndAPlainHttpServer(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token"), "from-file\n");
        ApiAccess access = ApiAccess.kubeconfig(kubeconfig(dir, "server: http://198.18.0.2:6443", "tokenFile: token"));
        assertEquals(URI.create("http://198.18.0.2:6443"), access.server());
        assertEquals(Optional.empty(), access.tls());
        assertEquals(Optional.of("from-file"), access.token());
    }

    @Test
    void whatTheSpeakerCannotUseIsAClearError(@TempDir Path dir) throws Exception {
        record Case(String cluster, String user, String says) {
        }
        for (Case c : new Case[] {
                new Case("server: https://h:6443", "exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}", "exec is not supported"),
                new Case("server: https://h:6443", "auth-provider: {name: oidc}", "auth-provider is not supported"),
                new Case("server: https://h:6443", "username: admin", "username is not supported"),
                new Case("insecure-skip-tls-verify: true", "token: x", "cluster c: no server"),
                new Case("server: ftp://h", "token: x", "is not an http or https URL"),
                new Case("server: https://h:6443", "client-certificate-data: " + b64("x"), "needs its key"),
                new Case("server: https://h:6443\ncertificate-authority-data: " + b64("not a certificate"), "token: x", "TLS: not a PEM certificate"),
                new Case("server: https://h:6443\ncertificate-authority: missing.crt", "token: x", "certificate-authority file"),
                new Case("server: https://h:6443", "tokenFile: missing-token", "cannot be read")}) {
            ApiAccess.ConfigException e = assertThrows(ApiAccess.ConfigException.class,
                    () -> ApiAccess.kubeconfig(kubeconfig(dir, c.cluster(), c.user())), c.says());
            assertTrue(e.getMessage().contains(c.says()), c.says() + " / " + e.getMessage());
        }
        Path broken = Files.writeString(dir.resolve("broken"), "clusters: [ {{{ not yaml\n");
        assertTrue(assertThrows(ApiAccess.ConfigException.class, () -> ApiAccess.kubeconfig(broken)).getMessage()
                .startsWith("not YAML"));
        Path noContext = Files.writeString(dir.resolve("nocontext"), "apiVersion: v1\nkind: Config\n");
        assertEquals("no current-context", assertThrows(ApiAccess.ConfigException.class,
                () -> ApiAccess.kubeconfig(noContext)).getMessage());
        Path wrongContext = Files.writeString(dir.resolve("wrong"), "current-context: x\ncontexts: []\n");
        assertTrue(assertThrows(ApiAccess.ConfigException.class, () -> ApiAccess.kubeconfig(wrongContext)).getMessage()
                .contains("no entry named \"x\" in contexts"));
        ApiAccess.ConfigException e = assertThrows(ApiAccess.ConfigException.class,
                () -> ApiAccess.resolve(dir.resolve("absent"), Map.of()));
        assertTrue(e.getMessage().startsWith("--kubeconfig " + dir.resolve("absent") + ": cannot be read"), e.getMessage());
    }

    @Test
    void inAPodTheServiceAccountAndTheServicesAddress(@TempDir Path dir) throws Exception {
        KeyFixture ca = KeyFixture.generate(dir, "RSA");
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        Files.writeString(dir.resolve("token"), "projected\n");
        ApiAccess access = ApiAccess.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), dir);
        assertEquals(URI.create("https://10.96.0.1:443"), access.server());
        assertEquals(Optional.of("projected"), access.token());
        assertTrue(access.tls().isPresent());
        assertEquals(URI.create("https://[fd00::1]:6443"), ApiAccess.inCluster(
                Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443"), dir).server());
        assertTrue(assertThrows(ApiAccess.ConfigException.class, () -> ApiAccess.resolve(null, Map.of())).getMessage()
                .contains("not in a pod"));
        Files.delete(dir.resolve("token"));
        assertTrue(assertThrows(ApiAccess.ConfigException.class, () -> ApiAccess.inCluster(
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), dir)).getMessage()
                .contains("token"));
    }

    @Test
    void theFirstFileOfKubeconfigInTheEnvironment(@TempDir Path dir) throws Exception {
        Path config = kubeconfig(dir, "server: http://198.18.0.3:6443", "token: t");
        ApiAccess access = ApiAccess.resolve(null, Map.of("KUBECONFIG", config + java.io.File.pathSeparator + "/elsewhere"));
        assertEquals(URI.create("http://198.18.0.3:6443"), access.server());
        ApiAccess.ConfigException e = assertThrows(ApiAccess.ConfigException.class,
                () -> ApiAccess.resolve(null, Map.of("KUBECONFIG", dir.resolve("none").toString())));
        assertTrue(e.getMessage().startsWith("$KUBECONFIG file "), e.getMessage());
    }
}
