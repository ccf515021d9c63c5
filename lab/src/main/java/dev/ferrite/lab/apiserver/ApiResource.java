package dev.ferrite.lab.apiserver;

import java.util.List;

/**
 * One resource type the lab's API server serves, as discovery describes it: where it lives
 * (group, version, plural), what kubectl may call it (kind, singular, short names,
 * categories) and the columns {@code kubectl get} prints for it.
 */
public record ApiResource(String group, String version, String kind, String plural, String singular,
                          boolean namespaced, List<String> shortNames, List<String> categories,
                          boolean statusSubresource, List<PrinterColumn> columns) {

    public static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ApiResource {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        columns = List.copyOf(columns);
    }

    /** {@code v1} for the core group, else {@code group/version}. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path of one object: {@code /api/v1/namespaces/default/services/web}, {@code /apis/group/version/plural/name}. */
    public String objectPath(String namespace, String name) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return base + (namespaced ? "/namespaces/" + namespace : "") + "/" + plural + "/" + name;
    }

    /** A column of {@code kubectl get}: a JSONPath into the object, the way CRDs declare them. */
    public record PrinterColumn(String name, String type, String jsonPath, int priority, String description) {
    }
}
