package dev.ferrite.controller.webhook;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an {@code admission.k8s.io/v1} AdmissionReview into a {@link ConfigChange} and writes
 * the answer. Pure: bytes in, values out. Anything the API server would never send (not JSON,
 * another version, no uid, an object that is not the kind it claims) is {@link Malformed}
 * with a message saying what is wrong, which the server returns as HTTP 400.
 *
 * <p>The envelope is read with fabric8's model; the object is read from the JSON tree into
 * Ferrite's own CRD class, since the model's generic object field does not know it.
 */
final class AdmissionReviewCodec {

    static final String API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";
    static final String GROUP = "ferrite.dev";

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();

    private AdmissionReviewCodec() {
    }

    sealed interface Decoded {
    }

    /** @param summary for the log, e.g. {@code CREATE IPAddressPool ferrite-system/lan} */
    record Review(String uid, String summary, ConfigChange change) implements Decoded {
    }

    record Malformed(String problem) implements Decoded {
    }

    static Decoded decode(byte[] body) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new Malformed("the body is not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return new Malformed("the body is empty; expected an " + API_VERSION + " " + KIND);
        }
        if (!tree.isObject()) {
            return new Malformed("the body is a JSON " + tree.getNodeType().name().toLowerCase() + "; expected an "
                    + API_VERSION + " " + KIND + " object");
        }
        String apiVersion = tree.path("apiVersion").asString("");
        String kind = tree.path("kind").asString("");
        if (!apiVersion.equals(API_VERSION) || !kind.equals(KIND)) {
            return new Malformed("expected an " + API_VERSION + " " + KIND + ", got apiVersion \"" + apiVersion
                    + "\" kind \"" + kind + "\"");
        }
        AdmissionReview review;
        try {
            review = MAPPER.treeToValue(tree, AdmissionReview.class);
        } catch (JacksonException e) {
            return new Malformed("the " + KIND + " cannot be read: " + e.getOriginalMessage());
        }
        AdmissionRequest request = review.getRequest();
        if (request == null) {
            return new Malformed("the " + KIND + " has no request");
        }
        if (request.getUid() == null || request.getUid().isEmpty()) {
            return new Malformed("request.uid is missing");
        }
        GroupVersionKind gvk = request.getKind();
        if (gvk == null || gvk.getKind() == null) {
            return new Malformed("request.kind is missing");
        }
        String operation = request.getOperation() == null ? "" : request.getOperation();
        String target = request.getNamespace() == null || request.getNamespace().isEmpty()
                ? String.valueOf(request.getName()) : request.getNamespace() + "/" + request.getName();
        String summary = operation + " " + gvk.getKind() + " " + target;
        ConfigChange change;
        try {
            change = change(request, gvk, operation, tree.path("request"));
        } catch (MalformedObject e) {
            return new Malformed(e.getMessage());
        }
        return new Review(request.getUid(), summary, change);
    }

    private static ConfigChange change(AdmissionRequest request, GroupVersionKind gvk, String operation, JsonNode requestTree) {
        if (request.getSubResource() != null && !request.getSubResource().isEmpty()) {
            return new ConfigChange.NoConfigEffect("the " + request.getSubResource() + " subresource holds no configuration");
        }
        boolean pool = gvk.getKind().equals(ConfigParser.POOL_KIND);
        boolean advertisement = gvk.getKind().equals(ConfigParser.ADVERTISEMENT_KIND);
        if (!GROUP.equals(gvk.getGroup()) || !(pool || advertisement)) {
            return new ConfigChange.NoConfigEffect("only " + GROUP + " " + ConfigParser.POOL_KIND + " and "
                    + ConfigParser.ADVERTISEMENT_KIND + " are judged");
        }
        switch (operation) {
            case "CREATE", "UPDATE" -> {
                if (pool) {
                    return new ConfigChange.PutPool(object(request, requestTree, IPAddressPool.class, operation));
                }
                return new ConfigChange.PutAdvertisement(object(request, requestTree, L2Advertisement.class, operation));
            }
            case "DELETE" -> {
                if (!pool) {
                    return new ConfigChange.NoConfigEffect("deleting an advertisement cannot make the configuration invalid");
                }
                if (request.getName() == null || request.getName().isEmpty()) {
                    throw new MalformedObject("request.name is missing for DELETE");
                }
                return new ConfigChange.DeletePool(request.getNamespace(), request.getName());
            }
            case "CONNECT" -> {
                return new ConfigChange.NoConfigEffect("CONNECT does not change objects");
            }
            default -> throw new MalformedObject("request.operation \"" + operation
                    + "\" is not one of CREATE, UPDATE, DELETE, CONNECT");
        }
    }

    /** The incoming object, with the request's name and namespace where the object lacks them. */
    private static <T extends HasMetadata> T object(AdmissionRequest request, JsonNode requestTree, Class<T> type,
            String operation) {
        JsonNode node = requestTree.path("object");
        if (!node.isObject()) {
            throw new MalformedObject("request.object is missing for " + operation);
        }
        T object;
        try {
            object = MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(node);
        } catch (JacksonException e) {
            throw new MalformedObject("request.object is not a readable " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
        if (object.getMetadata() == null) {
            object.setMetadata(new ObjectMeta());
        }
        if (object.getMetadata().getName() == null || object.getMetadata().getName().isEmpty()) {
            object.getMetadata().setName(request.getName());
        }
        if (object.getMetadata().getNamespace() == null || object.getMetadata().getNamespace().isEmpty()) {
            object.getMetadata().setNamespace(request.getNamespace());
        }
        if (object.getMetadata().getName() == null || object.getMetadata().getName().isEmpty()) {
            throw new MalformedObject("neither request.object.metadata.name nor request.name is set");
        }
        return object;
    }

    /** Internal signal for a malformed part of the request; never leaves this class. */
    private static final class MalformedObject extends RuntimeException {
        MalformedObject(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] encode(String uid, Verdict verdict) {
        AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid);
        if (verdict instanceof Verdict.Denied denied) {
            // Code and reason as controller-runtime's Denied uses; kubectl shows the message.
            response.withAllowed(false).withStatus(new StatusBuilder()
                    .withStatus("Failure").withCode(403).withReason("Forbidden").withMessage(denied.message()).build());
        } else {
            response.withAllowed(true);
        }
        AdmissionResponse built = response.build();
        AdmissionReview review = new AdmissionReviewBuilder()
                .withApiVersion(API_VERSION).withKind(KIND).withResponse(built).build();
        return MAPPER.writeValueAsBytes(review);
    }
}
