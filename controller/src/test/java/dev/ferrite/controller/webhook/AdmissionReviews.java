package dev.ferrite.controller.webhook;

/** AdmissionReview request bodies as the API server sends them, for the webhook's tests. */
final class AdmissionReviews {

    private AdmissionReviews() {
    }

    static String request(String uid, String operation, String kind, String name, String object) {
        String resource = kind.equals("IPAddressPool") ? "ipaddresspools" : "l2advertisements";
        return """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {
                   "uid": "%s",
                   "kind": {"group": "ferrite.dev", "version": "v1beta1", "kind": "%s"},
                   "resource": {"group": "ferrite.dev", "version": "v1beta1", "resource": "%s"},
                   "requestKind": {"group": "ferrite.dev", "version": "v1beta1", "kind": "%s"},
                   "requestResource": {"group": "ferrite.dev", "version": "v1beta1", "resource": "%s"},
                   "name": "%s", "namespace": "ferrite-system", "operation": "%s",
                   "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
                   "object": %s,
                   "oldObject": null,
                   "dryRun": false,
                   "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
                 }}
                """.formatted(uid, kind, resource, kind, resource, name, operation, object);
    }

    static String pool(String name, String... addresses) {
        return """
                {"apiVersion": "ferrite.dev/v1beta1", "kind": "IPAddressPool",
                 "metadata": {"name": "%s", "namespace": "ferrite-system", "uid": "0b5c", "generation": 1},
                 "spec": {"addresses": [%s], "autoAssign": true}}
                """.formatted(name, quoted(addresses));
    }

    static String advertisement(String name, String... pools) {
        return """
                {"apiVersion": "ferrite.dev/v1beta1", "kind": "L2Advertisement",
                 "metadata": {"name": "%s", "namespace": "ferrite-system"},
                 "spec": {"ipAddressPools": [%s], "interfaces": ["eth0"]}}
                """.formatted(name, quoted(pools));
    }

    private static String quoted(String... values) {
        StringBuilder s = new StringBuilder();
        for (String v : values) {
            s.append(s.length() == 0 ? "" : ", ").append('"').append(v).append('"');
        }
        return s.toString();
    }
}
