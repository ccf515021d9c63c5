package dev.ferrite.controller.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The webhook as the controller runs it: fed by its own informers on the API server. */
@EnableKubernetesMockClient(crud = true)
class WebhookServiceTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void aPoolOverlappingOneInTheClusterIsDeniedAndADisjointOneAllowed() throws Exception {
        client.resource(ConfigAdmissionTest.pool("lan", "198.18.0.0/24")).create();
        TestCertificate cert = TestCertificate.create(dir, "ferrite-webhook");
        try (WebhookService webhook = WebhookService.start(client, "ferrite-system",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                cert.certificateFile().toFile(), cert.keyFile().toFile())) {
            HttpClient http = HttpClient.newBuilder().sslContext(cert.trustingClientContext())
                    .connectTimeout(Duration.ofSeconds(30)).build();

            JsonNode denied = review(http, webhook.port(), AdmissionReviews.request("u1", "CREATE", "IPAddressPool",
                    "wan", AdmissionReviews.pool("wan", "198.18.0.128/25")));
            assertEquals(false, denied.path("allowed").booleanValue(), denied::toString);
            String message = denied.path("status").path("message").asString();
            assertTrue(message.contains("lan") && message.contains("198.18.0.128/25"), message);

            JsonNode allowed = review(http, webhook.port(), AdmissionReviews.request("u2", "CREATE", "IPAddressPool",
                    "wan", AdmissionReviews.pool("wan", "198.18.1.0/24")));
            assertEquals(true, allowed.path("allowed").booleanValue(), allowed::toString);
        }
    }

    @Test
    void aMissingCertificateStopsStartupWithAnErrorNamingTheFile() {
        client.resource(ConfigAdmissionTest.pool("lan", "198.18.0.0/24")).create();
        Exception e = assertThrows(java.io.IOException.class, () -> WebhookService.start(client, "ferrite-system",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                dir.resolve("missing.crt").toFile(), dir.resolve("missing.key").toFile()));
        assertTrue(e.getMessage().contains("missing.crt"), e.getMessage());
    }

    private static JsonNode review(HttpClient http, int port, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JsonMapper.builder().build().readTree(r.body()).path("response");
    }
}
