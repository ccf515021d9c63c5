package dev.ferrite.deploy;

import dev.ferrite.deploy.DeployTree.Manifest;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one ServiceAccount may do according to the shipped Roles, ClusterRoles and their
 * bindings, expanded into single permissions (one group, resource, verb and name each) so
 * that both directions can be checked: every request allowed, every permission used.
 */
final class RbacPolicy {

    static final String ANY = "*";

    /**
     * @param scope        the namespace a RoleBinding grants in, or {@link #ANY} for a ClusterRoleBinding
     * @param resourceName the one object a rule is limited to, or {@link #ANY}
     * @param source       the role it comes from, for messages
     */
    record Permission(String scope, String group, String resource, String verb, String resourceName, String source) {

        boolean allows(ApiRequest r) {
            boolean inScope = scope.equals(ANY) || (!r.namespace().isEmpty() && scope.equals(r.namespace())
                    && !r.resource().startsWith("namespaces"));
            return inScope && group.equals(r.group()) && resource.equals(r.resource()) && verb.equals(r.verb())
                    && (resourceName.equals(ANY) || resourceName.equals(r.name()));
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                    + (resourceName.equals(ANY) ? "" : " name " + resourceName)
                    + (scope.equals(ANY) ? " cluster-wide" : " in " + scope) + "  (" + source + ")";
        }
    }

    private final List<Permission> permissions;

    private RbacPolicy(List<Permission> permissions) {
        this.permissions = List.copyOf(permissions);
    }

    static RbacPolicy of(List<Manifest> manifests, String namespace, String serviceAccount) {
        List<Permission> out = new ArrayList<>();
        for (ClusterRoleBinding b : DeployTree.all(manifests, ClusterRoleBinding.class)) {
            if (binds(b.getSubjects(), namespace, serviceAccount)) {
                ClusterRole role = DeployTree.get(manifests, "ClusterRole", b.getRoleRef().getName()).as(ClusterRole.class);
                expand(role.getRules(), ANY, "ClusterRole " + role.getMetadata().getName(), out);
            }
        }
        for (RoleBinding b : DeployTree.all(manifests, RoleBinding.class)) {
            if (binds(b.getSubjects(), namespace, serviceAccount)) {
                String scope = b.getMetadata().getNamespace();
                Manifest role = DeployTree.get(manifests, b.getRoleRef().getKind(), b.getRoleRef().getName());
                List<PolicyRule> rules = role.kind().equals("Role") ? role.as(Role.class).getRules()
                        : role.as(ClusterRole.class).getRules();
                expand(rules, scope, role.kind() + " " + role.name() + " in " + scope, out);
            }
        }
        return new RbacPolicy(out);
    }

    private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && namespace.equals(s.getNamespace())
                && serviceAccount.equals(s.getName()));
    }

    private static void expand(List<PolicyRule> rules, String scope, String source, List<Permission> out) {
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? List.of(ANY) : rule.getResourceNames();
            for (String g : rule.getApiGroups()) {
                for (String res : rule.getResources()) {
                    for (String v : rule.getVerbs()) {
                        for (String n : names) {
                            out.add(new Permission(scope, g, res, v, n, source));
                        }
                    }
                }
            }
        }
    }

    List<Permission> permissions() {
        return permissions;
    }

    /** Wildcards in groups, resources or verbs: least privilege forbids them. */
    Set<String> wildcards() {
        return permissions.stream().filter(p -> p.group().equals(ANY) || p.resource().equals(ANY) || p.verb().equals(ANY))
                .map(Permission::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The requests no permission allows, each once. */
    Set<String> denied(Collection<ApiRequest> requests) {
        return requests.stream().filter(r -> permissions.stream().noneMatch(p -> p.allows(r)))
                .map(ApiRequest::toString).map(s -> s.replaceAll("\\?.*\\)$", ")"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The permissions no request used. */
    Set<String> unused(Collection<ApiRequest> requests) {
        Set<String> out = new LinkedHashSet<>();
        for (Permission p : permissions) {
            if (requests.stream().noneMatch(p::allows)) {
                out.add(p.toString());
            }
        }
        return out;
    }

    /** The failure message when either direction is off; empty when both hold. */
    String diff(Collection<ApiRequest> requests) {
        Set<String> denied = denied(requests);
        Set<String> unused = unused(requests);
        if (denied.isEmpty() && unused.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (!denied.isEmpty()) {
            sb.append("requests the RBAC rules do not allow (the component would get 403):\n");
            denied.forEach(d -> sb.append("  + ").append(d).append('\n'));
        }
        if (!unused.isEmpty()) {
            sb.append("permissions no request used (more privilege than the code needs):\n");
            unused.forEach(u -> sb.append("  - ").append(u).append('\n'));
        }
        return sb.toString();
    }
}
