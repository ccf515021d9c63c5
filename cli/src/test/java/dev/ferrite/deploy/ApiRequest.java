package dev.ferrite.deploy;

import java.util.List;
import java.util.Optional;

/**
 * One request to the API server as RBAC judges it: verb, API group, resource (with
 * {@code /subresource}), namespace and object name, derived from method and path the way
 * the API server's request-info resolver does.
 *
 * @param namespace empty for cluster-scoped resources and for requests across all namespaces
 * @param name      empty for collection requests (list, watch, create)
 */
record ApiRequest(String verb, String group, String resource, String namespace, String name, String method, String path) {

    /**
     * The resource request behind {@code method path}; empty for non-resource URLs such as
     * {@code /version}, {@code /api} or {@code /apis} (discovery, open to every authenticated
     * user through the system:discovery role).
     */
    static Optional<ApiRequest> of(String method, String path) {
        int q = path.indexOf('?');
        String query = q < 0 ? "" : path.substring(q + 1);
        List<String> parts = List.of(path.substring(0, q < 0 ? path.length() : q).replaceAll("^/+|/+$", "").split("/+"));
        String group;
        List<String> rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return Optional.empty();
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        if (rest.size() >= 3) {
            resource = resource + "/" + rest.get(2);
        }
        if (resource.equals("namespaces") && !name.isEmpty()) {
            // /api/v1/namespaces/{name}: the namespace object itself
            namespace = name;
        }
        String verb = switch (method.toUpperCase()) {
            case "GET", "HEAD" -> !name.isEmpty() ? "get" : watch(query) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> throw new IllegalArgumentException("unexpected method " + method + " " + path);
        };
        return Optional.of(new ApiRequest(verb, group, resource, namespace, name, method, path));
    }

    private static boolean watch(String query) {
        for (String p : query.split("&")) {
            if (p.equals("watch=true") || p.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " name " + name)
                + "  (" + method + " " + path + ")";
    }
}
