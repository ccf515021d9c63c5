package dev.ferrite.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The (method, path) → RBAC attributes mapping the RBAC tests rely on. */
class ApiRequestTest {

    @ParameterizedTest(name = "{0} {1} -> {2} {3}/{4} ns={5} name={6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "GET    | /api/v1/services?resourceVersion=0                                    | list   | ''                  | services                 | ''             | ''",
        "GET    | /api/v1/services?allowWatchBookmarks=true&watch=true                  | watch  | ''                  | services                 | ''             | ''",
        "GET    | /api/v1/namespaces/default/services/web                               | get    | ''                  | services                 | default        | web",
        "PUT    | /api/v1/namespaces/default/services/web/status                        | update | ''                  | services/status          | default        | web",
        "PATCH  | /api/v1/namespaces/default/services/web                               | patch  | ''                  | services                 | default        | web",
        "GET    | /api/v1/namespaces?watch=1                                            | watch  | ''                  | namespaces               | ''             | ''",
        "GET    | /api/v1/namespaces/default                                            | get    | ''                  | namespaces               | default        | default",
        "GET    | /api/v1/nodes/node-a                                                  | get    | ''                  | nodes                    | ''             | node-a",
        "POST   | /api/v1/namespaces/default/events                                     | create | ''                  | events                   | default        | ''",
        "POST   | /apis/coordination.k8s.io/v1/namespaces/ferrite-system/leases         | create | coordination.k8s.io | leases                   | ferrite-system | ''",
        "DELETE | /apis/ferrite.dev/v1beta1/namespaces/ferrite-system/servicel2statuses/x | delete | ferrite.dev       | servicel2statuses        | ferrite-system | x",
        "DELETE | /apis/ferrite.dev/v1beta1/namespaces/ferrite-system/servicel2statuses | deletecollection | ferrite.dev | servicel2statuses      | ferrite-system | ''",
        "PUT    | /apis/ferrite.dev/v1beta1/namespaces/ferrite-system/ipaddresspools/lab/status | update | ferrite.dev | ipaddresspools/status | ferrite-system | lab",
        "GET    | /apis/discovery.k8s.io/v1/endpointslices?watch=true                   | watch  | discovery.k8s.io    | endpointslices           | ''             | ''",
    })
    void mapsMethodAndPathToVerbGroupResourceNamespaceAndName(String method, String path, String verb, String group,
            String resource, String namespace, String name) {
        ApiRequest r = ApiRequest.of(method, path).orElseThrow();
        assertEquals(verb, r.verb());
        assertEquals(group, r.group());
        assertEquals(resource, r.resource());
        assertEquals(namespace, r.namespace());
        assertEquals(name, r.name());
    }

    @ParameterizedTest
    @CsvSource({"/version", "/api", "/apis", "/api/v1", "/apis/ferrite.dev/v1beta1"})
    void discoveryPathsAreNotResourceRequests(String path) {
        assertEquals(Optional.empty(), ApiRequest.of("GET", path));
    }
}
