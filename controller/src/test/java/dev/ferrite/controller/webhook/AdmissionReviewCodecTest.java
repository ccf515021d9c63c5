package dev.ferrite.controller.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class AdmissionReviewCodecTest {

    static AdmissionReviewCodec.Decoded decode(String body) {
        return AdmissionReviewCodec.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    static AdmissionReviewCodec.Review review(String body) {
        return assertInstanceOf(AdmissionReviewCodec.Review.class, decode(body));
    }

    @Test
    void aPoolCreateBecomesAPutOfThatPool() {
        AdmissionReviewCodec.Review r = review(AdmissionReviews.request("u-1", "CREATE", "IPAddressPool", "lan",
                AdmissionReviews.pool("lan", "198.18.0.0/24")));
        assertEquals("u-1", r.uid());
        assertEquals("CREATE IPAddressPool ferrite-system/lan", r.summary());
        ConfigChange.PutPool put = assertInstanceOf(ConfigChange.PutPool.class, r.change());
        assertEquals("lan", put.pool().getMetadata().getName());
        assertEquals("ferrite-system", put.pool().getMetadata().getNamespace());
        assertEquals(List.of("198.18.0.0/24"), put.pool().getSpec().getAddresses());
    }

    @Test
    void anAdvertisementUpdateBecomesAPutOfThatAdvertisement() {
        AdmissionReviewCodec.Review r = review(AdmissionReviews.request("u-2", "UPDATE", "L2Advertisement", "lan",
                AdmissionReviews.advertisement("lan", "lan", "lab")));
        ConfigChange.PutAdvertisement put = assertInstanceOf(ConfigChange.PutAdvertisement.class, r.change());
        assertEquals(List.of("lan", "lab"), put.advertisement().getSpec().getIpAddressPools());
    }

    @Test
    void aPoolDeleteNamesThePoolFromTheRequest() {
        AdmissionReviewCodec.Review r = review(AdmissionReviews.request("u-3", "DELETE", "IPAddressPool", "lan", "null"));
        assertEquals(new ConfigChange.DeletePool("ferrite-system", "lan"), r.change());
    }

    @Test
    void aStatusWriteHasNoConfigEffect() {
        String body = AdmissionReviews.request("u-4", "UPDATE", "IPAddressPool", "lan", AdmissionReviews.pool("lan", "x"))
                .replace("\"requestKind\"", "\"subResource\": \"status\", \"requestKind\"");
        assertInstanceOf(ConfigChange.NoConfigEffect.class, review(body).change());
    }

    @Test
    void theObjectsNameComesFromTheRequestWhenTheObjectHasNone() {
        String object = AdmissionReviews.pool("lan", "198.18.0.0/24").replace("\"name\": \"lan\", ", "");
        ConfigChange.PutPool put = assertInstanceOf(ConfigChange.PutPool.class,
                review(AdmissionReviews.request("u-5", "CREATE", "IPAddressPool", "lan", object)).change());
        assertEquals("lan", put.pool().getMetadata().getName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | {\"apiVersion\": | the body is not JSON",
        "empty                    | ''               | the body is empty",
        "a JSON array             | [1, 2]           | the body is a JSON array",
        "another kind             | {\"apiVersion\": \"v1\", \"kind\": \"Pod\"} | expected an admission.k8s.io/v1 AdmissionReview, got apiVersion \"v1\" kind \"Pod\"",
        "the old version          | {\"apiVersion\": \"admission.k8s.io/v1beta1\", \"kind\": \"AdmissionReview\"} | got apiVersion \"admission.k8s.io/v1beta1\"",
        "no request               | {\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"} | the AdmissionReview has no request",
        "no uid                   | {\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {\"operation\": \"CREATE\"}} | request.uid is missing",
        "request of the wrong type| {\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": \"yes\"} | the AdmissionReview cannot be read",
    })
    void aMalformedBodyIsRejectedWithTheReason(String description, String body, String problem) {
        AdmissionReviewCodec.Malformed m = assertInstanceOf(AdmissionReviewCodec.Malformed.class, decode(body));
        assertTrue(m.problem().contains(problem), m.problem());
    }

    @Test
    void aCreateWithoutObjectIsMalformed() {
        AdmissionReviewCodec.Malformed m = assertInstanceOf(AdmissionReviewCodec.Malformed.class,
                decode(AdmissionReviews.request("u-6", "CREATE", "IPAddressPool", "lan", "null")));
        assertEquals("request.object is missing for CREATE", m.problem());
    }

    @Test
    void anObjectOfTheWrongShapeIsMalformed() {
        String object = AdmissionReviews.pool("lan", "198.18.0.0/24").replace("\"addresses\": [\"198.18.0.0/24\"]",
                "\"addresses\": {\"first\": 1}");
        AdmissionReviewCodec.Malformed m = assertInstanceOf(AdmissionReviewCodec.Malformed.class,
                decode(AdmissionReviews.request("u-7", "CREATE", "IPAddressPool", "lan", object)));
        assertTrue(m.problem().startsWith("request.object is not a readable IPAddressPool"), m.problem());
    }

    @Test
    void anUnknownOperationIsMalformed() {
        AdmissionReviewCodec.Malformed m = assertInstanceOf(AdmissionReviewCodec.Malformed.class,
                decode(AdmissionReviews.request("u-8", "PATCH", "IPAddressPool", "lan", "null")));
        assertTrue(m.problem().contains("request.operation \"PATCH\""), m.problem());
    }

    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void anAllowedResponseEchoesTheUid() {
        JsonNode out = JSON.readTree(AdmissionReviewCodec.encode("u-9", new Verdict.Allowed()));
        assertEquals("admission.k8s.io/v1", out.path("apiVersion").asString());
        assertEquals("AdmissionReview", out.path("kind").asString());
        assertEquals("u-9", out.path("response").path("uid").asString());
        assertTrue(out.path("response").path("allowed").booleanValue());
    }

    @Test
    void aDeniedResponseCarriesTheMessageInItsStatus() {
        JsonNode out = JSON.readTree(AdmissionReviewCodec.encode("u-10", new Verdict.Denied("IPAddressPool x: bad")));
        JsonNode response = out.path("response");
        assertEquals("u-10", response.path("uid").asString());
        assertTrue(response.path("allowed").isBoolean() && !response.path("allowed").booleanValue(), response::toString);
        assertEquals("IPAddressPool x: bad", response.path("status").path("message").asString());
        assertEquals(403, response.path("status").path("code").intValue());
    }
}
