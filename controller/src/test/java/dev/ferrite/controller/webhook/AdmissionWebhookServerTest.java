package dev.ferrite.controller.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Real AdmissionReview requests over TLS to a running webhook on a loopback port. */
class AdmissionWebhookServerTest {

    @TempDir
    static Path dir;

    static TestCertificate certificate;
    static AdmissionWebhookServer server;
    static HttpClient client;
    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What the informer caches would hold; each test sets it. */
    static final List<IPAddressPool> pools = new CopyOnWriteArrayList<>();
    static final List<L2Advertisement> advertisements = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        certificate = TestCertificate.create(dir, "ferrite-webhook");
        CurrentConfigObjects current = new CurrentConfigObjects() {
            @Override
            public List<IPAddressPool> pools() {
                return List.copyOf(pools);
            }

            @Override
            public List<L2Advertisement> advertisements() {
                return List.copyOf(advertisements);
            }
        };
        server = AdmissionWebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                certificate.certificateFile().toFile(), certificate.keyFile().toFile(), current);
        client = HttpClient.newBuilder().sslContext(certificate.trustingClientContext())
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void storedObjects() {
        pools.clear();
        advertisements.clear();
        pools.add(ConfigAdmissionTest.pool("lan", "198.18.0.0/24"));
        advertisements.add(ConfigAdmissionTest.advertisement("lan", "lan"));
    }

    static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code response} of the AdmissionReview the webhook answered with. */
    static JsonNode admit(String uid, String operation, String kind, String name, String object) throws Exception {
        HttpResponse<String> r = post("/validate?timeout=10s", AdmissionReviews.request(uid, operation, kind, name, object));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode review = JSON.readTree(r.body());
        assertEquals("admission.k8s.io/v1", review.path("apiVersion").asString());
        assertEquals("AdmissionReview", review.path("kind").asString());
        JsonNode response = review.path("response");
        assertEquals(uid, response.path("uid").asString(), "the response must echo the request's uid");
        return response;
    }

    static String denial(JsonNode response) {
        assertFalse(response.path("allowed").booleanValue(), response::toString);
        return response.path("status").path("message").asString();
    }

    @Test
    void aValidPoolIsAllowed() throws Exception {
        JsonNode response = admit("a1", "CREATE", "IPAddressPool", "lab", AdmissionReviews.pool("lab", "198.18.1.0/28"));
        assertTrue(response.path("allowed").booleanValue(), response::toString);
    }

    @Test
    void anOverlappingPoolIsDeniedNamingBothPools() throws Exception {
        String message = denial(admit("a2", "CREATE", "IPAddressPool", "lab",
                AdmissionReviews.pool("lab", "198.18.0.200-198.18.1.10")));
        assertEquals("IPAddressPool lab: spec.addresses[0] \"198.18.0.200-198.18.1.10\": overlaps IPAddressPool lan "
                + "spec.addresses[0] \"198.18.0.0/24\" (both hold 198.18.0.200-198.18.0.255); "
                + "an address may belong to one pool range only", message);
    }

    @Test
    void aBadCidrIsDeniedWithFieldAndValue() throws Exception {
        String message = denial(admit("a3", "UPDATE", "IPAddressPool", "lan",
                AdmissionReviews.pool("lan", "198.18.0.0/24", "198.18.7.0/40")));
        assertTrue(message.startsWith("IPAddressPool lan: spec.addresses[1] \"198.18.7.0/40\": "), message);
    }

    @Test
    void anAdvertisementNamingAnUnknownPoolIsDenied() throws Exception {
        String message = denial(admit("a4", "CREATE", "L2Advertisement", "edge",
                AdmissionReviews.advertisement("edge", "lan", "edge-pool")));
        assertEquals("L2Advertisement edge: spec.ipAddressPools[1] \"edge-pool\": no IPAddressPool is named \"edge-pool\"; "
                + "pools are lan", message);
    }

    @Test
    void deletingAPoolAnAdvertisementNamesIsDenied() throws Exception {
        String message = denial(admit("a5", "DELETE", "IPAddressPool", "lan", "null"));
        assertTrue(message.startsWith("IPAddressPool lan is still named by L2Advertisement ferrite-system/lan"), message);
    }

    @Test
    void theVerdictFollowsTheCurrentObjects() throws Exception {
        advertisements.clear();
        JsonNode response = admit("a6", "DELETE", "IPAddressPool", "lan", "null");
        assertTrue(response.path("allowed").booleanValue(), response::toString);
    }

    @Test
    void malformedJsonIsABadRequestWithAMessage() throws Exception {
        HttpResponse<String> r = post("/validate", "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": ");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("the body is not JSON"), r.body());
    }

    @Test
    void theServerKeepsServingAfterABadRequest() throws Exception {
        assertEquals(400, post("/validate", "]").statusCode());
        JsonNode response = admit("a7", "CREATE", "IPAddressPool", "lab", AdmissionReviews.pool("lab", "198.18.1.0/28"));
        assertTrue(response.path("allowed").booleanValue(), response::toString);
    }

    @Test
    void anotherPathIsNotFoundAndAnotherMethodIsNotAllowed() throws Exception {
        assertEquals(404, post("/mutate", "{}").statusCode());
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/validate")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotTalkToIt() throws Exception {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThrows(SSLHandshakeException.class, () -> untrusting.send(request, HttpResponse.BodyHandlers.ofString()));
        // ...and the server is unharmed.
        assertEquals(400, post("/validate", "{}").statusCode());
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart(@TempDir Path renewDir) throws Exception {
        TestCertificate first = TestCertificate.create(renewDir, "first");
        TestCertificate second = TestCertificate.create(renewDir, "second");
        Path crt = renewDir.resolve("tls.crt");
        Path key = renewDir.resolve("tls.key");
        Files.copy(first.certificateFile(), crt);
        Files.copy(first.keyFile(), key);
        try (AdmissionWebhookServer renewing = AdmissionWebhookServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), crt.toFile(), key.toFile(),
                new StaticObjects())) {
            URI uri = URI.create("https://127.0.0.1:" + renewing.port() + "/validate");
            HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpClient trustsSecond = HttpClient.newBuilder().sslContext(second.trustingClientContext()).build();
            assertThrows(SSLHandshakeException.class, () -> trustsSecond.send(request, HttpResponse.BodyHandlers.ofString()));

            Files.copy(second.certificateFile(), crt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.keyFile(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // Renewal changes the content; make sure the change is visible even on a coarse mtime clock.
            crt.toFile().setLastModified(crt.toFile().lastModified() + 2000);

            HttpClient fresh = HttpClient.newBuilder().sslContext(second.trustingClientContext()).build();
            assertEquals(400, fresh.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aMissingCertificateFailsToStartNamingTheFile() {
        Path missing = dir.resolve("missing.crt");
        IOException e = assertThrows(IOException.class, () -> AdmissionWebhookServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), missing.toFile(),
                certificate.keyFile().toFile(), new StaticObjects()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    /** No objects stored. */
    static final class StaticObjects implements CurrentConfigObjects {
        @Override
        public List<IPAddressPool> pools() {
            return List.of();
        }

        @Override
        public List<L2Advertisement> advertisements() {
            return List.of();
        }
    }
}
