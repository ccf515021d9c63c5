package dev.ferrite.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.deploy.DeployTree.Manifest;
import dev.ferrite.lab.process.LabProcesses;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The install manifests as an operator applies them: every kind present, every name one
 * object refers to exists, and the security settings the docs promise are the ones shipped.
 */
class ManifestsTest {

    static final String NAMESPACE = "ferrite-system";
    static final String MEMBERSHIP_SECRET = "ferrite-membership";

    private final List<Manifest> install = DeployTree.install();

    private Deployment controller() {
        return DeployTree.get(install, "Deployment", "ferrite-controller").as(Deployment.class);
    }

    private DaemonSet speaker() {
        return DeployTree.get(install, "DaemonSet", "ferrite-speaker").as(DaemonSet.class);
    }

    private static Container only(PodSpec pod) {
        assertEquals(1, pod.getContainers().size(), "containers " + pod.getContainers());
        return pod.getContainers().get(0);
    }

    @Test
    void everyKustomizationListsFilesThatExistAndNoManifestIsLeftOut() throws IOException {
        Path deploy = DeployTree.deploy();
        for (Path dir : List.of(deploy, deploy.resolve("examples"), deploy.resolve("webhook"))) {
            List<Path> listed = new ArrayList<>(DeployTree.listed(dir, "resources"));
            listed.addAll(DeployTree.listed(dir, "components"));
            listed.addAll(DeployTree.patches(dir));
            for (Path p : listed) {
                assertTrue(Files.exists(p), dir.resolve("kustomization.yaml") + " lists " + p + ", which does not exist");
            }
            // a manifest nobody lists is a manifest nobody applies; the Secret template is
            // left out on purpose (its value must be random per cluster)
            Set<Path> unlisted = new TreeSet<>();
            try (Stream<Path> files = Files.walk(dir, dir.equals(deploy) ? 2 : 1)) {
                files.filter(f -> f.toString().endsWith(".yaml"))
                        .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                        .filter(f -> !f.getFileName().toString().equals("membership-secret.yaml"))
                        .filter(f -> !f.getFileName().toString().equals("ferrite.yaml"))
                        .filter(f -> f.getParent().equals(dir) || f.getParent().equals(deploy.resolve("crds")))
                        .filter(f -> !listed.contains(f.normalize()))
                        .forEach(unlisted::add);
            }
            assertEquals(Set.of(), unlisted, "manifests not listed in " + dir.resolve("kustomization.yaml"));
        }
    }

    @Test
    void defaultInstallHoldsExactlyTheExpectedObjects() {
        Set<String> got = install.stream().map(m -> m.kind() + " " + m.name()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> want = new TreeSet<>(List.of(
                "Namespace ferrite-system",
                "CustomResourceDefinition ipaddresspools.ferrite.dev",
                "CustomResourceDefinition l2advertisements.ferrite.dev",
                "CustomResourceDefinition servicel2statuses.ferrite.dev",
                "ServiceAccount ferrite-controller", "ServiceAccount ferrite-speaker",
                "ClusterRole ferrite-controller", "ClusterRole ferrite-speaker",
                "ClusterRoleBinding ferrite-controller", "ClusterRoleBinding ferrite-speaker",
                "Role ferrite-controller", "Role ferrite-speaker",
                "RoleBinding ferrite-controller", "RoleBinding ferrite-speaker",
                "Deployment ferrite-controller", "DaemonSet ferrite-speaker"));
        assertEquals(want, got);
        assertEquals(install.size(), got.size(), "an object appears twice: " + install);
    }

    @Test
    void namespacedObjectsLiveInFerriteSystemAndClusterObjectsHaveNoNamespace() {
        Set<String> clusterScoped = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                "ValidatingWebhookConfiguration");
        List<Manifest> all = new ArrayList<>(install);
        all.addAll(DeployTree.render(DeployTree.deploy().resolve("webhook")));
        for (Manifest m : all) {
            String want = clusterScoped.contains(m.kind()) ? "" : NAMESPACE;
            assertEquals(want, m.namespace(), m + ": namespace");
        }
    }

    @Test
    void namespaceAllowsPrivilegedPodsForTheSpeaker() {
        Map<String, String> labels = DeployTree.get(install, "Namespace", NAMESPACE).as(io.fabric8.kubernetes.api.model.Namespace.class)
                .getMetadata().getLabels();
        assertEquals("privileged", labels.get("pod-security.kubernetes.io/enforce"),
                "hostNetwork and NET_RAW are refused below the privileged level");
    }

    @Test
    void everyServiceAccountAndRoleABindingNamesExists() {
        Set<String> accounts = DeployTree.all(install, ServiceAccount.class).stream()
                .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()).collect(Collectors.toSet());
        List<Subject> subjects = new ArrayList<>();
        for (ClusterRoleBinding b : DeployTree.all(install, ClusterRoleBinding.class)) {
            DeployTree.get(install, b.getRoleRef().getKind(), b.getRoleRef().getName());
            subjects.addAll(b.getSubjects());
        }
        for (RoleBinding b : DeployTree.all(install, RoleBinding.class)) {
            Manifest role = DeployTree.get(install, b.getRoleRef().getKind(), b.getRoleRef().getName());
            if (role.kind().equals("Role")) {
                assertEquals(b.getMetadata().getNamespace(), role.namespace(), "RoleBinding " + b.getMetadata().getName());
            }
            subjects.addAll(b.getSubjects());
        }
        for (Subject s : subjects) {
            assertEquals("ServiceAccount", s.getKind());
            assertTrue(accounts.contains(s.getNamespace() + "/" + s.getName()), "binding names missing ServiceAccount " + s);
        }
        for (PodSpec pod : List.of(controller().getSpec().getTemplate().getSpec(), speaker().getSpec().getTemplate().getSpec())) {
            assertTrue(accounts.contains(NAMESPACE + "/" + pod.getServiceAccountName()),
                    "pod runs as missing ServiceAccount " + pod.getServiceAccountName());
        }
    }

    @Test
    void everySecretAndConfigMapAPodMountsIsShippedOrDocumented() throws IOException {
        Set<String> shipped = install.stream().filter(m -> m.kind().equals("Secret") || m.kind().equals("ConfigMap"))
                .map(m -> m.kind() + " " + m.name()).collect(Collectors.toSet());
        // created by the operator from the template (random value), as docs/install.md says
        Manifest template = new Manifest(DeployTree.deploy().resolve("membership-secret.yaml"),
                DeployTree.document(DeployTree.deploy().resolve("membership-secret.yaml")));
        assertEquals("Secret", template.kind());
        assertEquals(MEMBERSHIP_SECRET, template.name());
        assertEquals(NAMESPACE, template.namespace());
        shipped.add("Secret " + template.name());
        String installDoc = Files.readString(DeployTree.root().resolve("docs/install.md"));
        assertTrue(installDoc.contains("create secret generic " + MEMBERSHIP_SECRET), "docs/install.md must show how to create it");

        for (PodSpec pod : List.of(controller().getSpec().getTemplate().getSpec(), speaker().getSpec().getTemplate().getSpec())) {
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    assertTrue(shipped.contains("Secret " + v.getSecret().getSecretName()), "volume " + v.getName()
                            + " mounts Secret " + v.getSecret().getSecretName() + ", which nothing creates");
                }
                if (v.getConfigMap() != null) {
                    assertTrue(shipped.contains("ConfigMap " + v.getConfigMap().getName()), "volume " + v.getName()
                            + " mounts ConfigMap " + v.getConfigMap().getName() + ", which nothing creates");
                }
            }
            Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            for (Container c : pod.getContainers()) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    assertTrue(volumes.contains(m.getName()), c.getName() + " mounts undeclared volume " + m.getName());
                }
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        assertTrue(shipped.contains("Secret " + e.getValueFrom().getSecretKeyRef().getName()), e.getName());
                    }
                    if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                        assertTrue(shipped.contains("ConfigMap " + e.getValueFrom().getConfigMapKeyRef().getName()), e.getName());
                    }
                }
            }
        }
    }

    @Test
    void probesUsePortsTheContainerDeclares() {
        for (Container c : List.of(only(controller().getSpec().getTemplate().getSpec()), only(speaker().getSpec().getTemplate().getSpec()))) {
            Set<String> ports = c.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
            for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
                assertTrue(p != null && p.getHttpGet() != null, c.getName() + " lacks an HTTP probe");
                assertTrue(ports.contains(p.getHttpGet().getPort().getStrVal()),
                        c.getName() + " probes port " + p.getHttpGet().getPort() + ", not one of " + ports);
            }
            assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
            assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
            assertTrue(c.getResources().getRequests().containsKey("memory") && c.getResources().getLimits().containsKey("memory"),
                    c.getName() + " has no memory request and limit");
        }
    }

    @Test
    void controllerRunsTwoNonRootReadOnlyReplicasWithoutCapabilities() {
        Deployment d = controller();
        assertEquals(2, d.getSpec().getReplicas());
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(pod.getSecurityContext().getRunAsUser() > 0, "runAsUser must be a non-root uid");
        var sc = only(pod).getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(),
                "the controller needs no capability: " + sc.getCapabilities().getAdd());
        assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()));
    }

    @Test
    void speakerUpdatesOneNodeAtATimeAndWaitsForFailback() {
        var strategy = speaker().getSpec().getUpdateStrategy();
        assertEquals("RollingUpdate", strategy.getType());
        assertEquals(1, strategy.getRollingUpdate().getMaxUnavailable().getIntVal());
        assertTrue(speaker().getSpec().getMinReadySeconds() >= 5,
                "the next node must not stop before the IPs failed back to the updated one");
    }

    @Test
    void speakerRunsOnTheHostNetworkWithOnlyNetRawAndNetAdmin() {
        PodSpec pod = speaker().getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
        Container c = only(pod);
        var sc = c.getSecurityContext();
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        // NET_RAW: ARP/NDP capture; NET_ADMIN: the nft and ip rules of flow handoff
        assertEquals(List.of("NET_RAW", "NET_ADMIN"), sc.getCapabilities().getAdd());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), "the speaker must not be privileged");
        EnvVar node = c.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst()
                .orElseThrow(() -> new AssertionError("speaker has no NODE_NAME"));
        assertEquals("spec.nodeName", node.getValueFrom().getFieldRef().getFieldPath());
        assertTrue(pod.getTolerations().stream().anyMatch(t -> "node-role.kubernetes.io/control-plane".equals(t.getKey())
                && "Exists".equals(t.getOperator())), "control-plane nodes are not tolerated");
    }

    @Test
    void speakerRunsWithTheJvmOptionsTheLabMeasured() {
        // docs/benchmarks.md measures the speaker with the lab's options; the DaemonSet must run
        // the same, or the manifests' requests and limits do not follow from the figures
        Container c = only(speaker().getSpec().getTemplate().getSpec());
        List<String> options = List.of(env(c, "JAVA_TOOL_OPTIONS").trim().split("\\s+"));
        for (String o : LabProcesses.SPEAKER_JVM_OPTIONS) {
            assertTrue(options.contains(o), "JAVA_TOOL_OPTIONS lacks " + o + ": " + options);
        }
        LabProcesses.SMALL_MALLOC.forEach((k, v) -> assertEquals(v, env(c, k), k));
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in the speaker's env"));
    }

    @Test
    void speakerUnpacksJnaIntoAWritableVolume() {
        // pcap4j loads libpcap through JNA, which writes a native stub at start; on a read-only
        // root filesystem that must go to a mounted volume, or no capture can open
        PodSpec pod = speaker().getSpec().getTemplate().getSpec();
        Container c = only(pod);
        String options = env(c, "JAVA_TOOL_OPTIONS");
        String dir = java.util.Arrays.stream(options.split("\\s+")).filter(o -> o.startsWith("-Djna.tmpdir="))
                .map(o -> o.substring("-Djna.tmpdir=".length())).findFirst()
                .orElseThrow(() -> new AssertionError("JAVA_TOOL_OPTIONS sets no -Djna.tmpdir: " + options));
        Set<String> emptyDirs = pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null).map(Volume::getName)
                .collect(Collectors.toSet());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> emptyDirs.contains(m.getName())
                        && !Boolean.TRUE.equals(m.getReadOnly()) && (dir + "/").startsWith(m.getMountPath() + "/")),
                "jna.tmpdir " + dir + " is not on a writable emptyDir mount");
    }

    @Test
    void membershipSecretIsMountedWhereTheSpeakerReadsIt() {
        PodSpec pod = speaker().getSpec().getTemplate().getSpec();
        Volume secret = pod.getVolumes().stream().filter(v -> v.getSecret() != null
                && MEMBERSHIP_SECRET.equals(v.getSecret().getSecretName())).findFirst()
                .orElseThrow(() -> new AssertionError("Secret " + MEMBERSHIP_SECRET + " is not mounted"));
        VolumeMount mount = only(pod).getVolumeMounts().stream().filter(m -> m.getName().equals(secret.getName()))
                .findFirst().orElseThrow();
        String key = secret.getSecret().getItems() == null || secret.getSecret().getItems().isEmpty() ? "secret"
                : secret.getSecret().getItems().get(0).getPath();
        String file = mount.getMountPath() + "/" + key;
        assertTrue(only(pod).getArgs().contains("--membership-secret-file=" + file),
                "--membership-secret-file must point at " + file + ": " + only(pod).getArgs());
        assertEquals(Boolean.TRUE, mount.getReadOnly());
    }

    @Test
    void speakerGracePeriodOutlastsTheHandover() {
        PodSpec pod = speaker().getSpec().getTemplate().getSpec();
        long handoverMs = ContainerArgs.durationMs(ContainerArgs.flag(only(pod).getArgs(), "--handover-timeout").orElse("3s"));
        // after the handover the speaker deletes its ServiceL2Status objects (bounded at 2 s);
        // the JVM needs about a second more to start and finish the shutdown hook
        long needMs = handoverMs + 2_000 + 1_000;
        assertTrue(pod.getTerminationGracePeriodSeconds() * 1000 >= needMs, "terminationGracePeriodSeconds "
                + pod.getTerminationGracePeriodSeconds() + " cuts the handover short: needs " + needMs + " ms");
    }

    @Test
    void webhookComponentValidatesConfigThroughItsServiceWithACertManagerCertificate() {
        Path dir = DeployTree.deploy().resolve("webhook");
        List<Manifest> webhook = DeployTree.render(dir);
        ValidatingWebhookConfiguration config = DeployTree.get(webhook, "ValidatingWebhookConfiguration",
                "ferrite-validating-webhook").as(ValidatingWebhookConfiguration.class);
        assertEquals(1, config.getWebhooks().size());
        ValidatingWebhook hook = config.getWebhooks().get(0);
        assertEquals(List.of("v1"), hook.getAdmissionReviewVersions());
        assertEquals("None", hook.getSideEffects());
        assertEquals("Fail", hook.getFailurePolicy());
        assertEquals("/validate", hook.getClientConfig().getService().getPath());
        assertEquals(1, hook.getRules().size());
        var rule = hook.getRules().get(0);
        assertEquals(List.of("ferrite.dev"), rule.getApiGroups());
        assertEquals(List.of("v1beta1"), rule.getApiVersions());
        assertEquals(Set.of("CREATE", "UPDATE", "DELETE"), Set.copyOf(rule.getOperations()));
        assertEquals(Set.of("ipaddresspools", "l2advertisements"), Set.copyOf(rule.getResources()));

        Service service = DeployTree.get(webhook, "Service", hook.getClientConfig().getService().getName()).as(Service.class);
        assertEquals(hook.getClientConfig().getService().getNamespace(), service.getMetadata().getNamespace());
        var servicePort = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort().equals(hook.getClientConfig().getService().getPort())).findFirst()
                .orElseThrow(() -> new AssertionError("webhook Service has no port " + hook.getClientConfig().getService().getPort()));
        assertEquals(controller().getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector(),
                "webhook Service must select the controller pods");

        Deployment patch = DeployTree.SERIALIZATION.convertValue(DeployTree.document(dir.resolve("controller-patch.yaml")),
                Deployment.class);
        Container patched = only(patch.getSpec().getTemplate().getSpec());
        assertTrue(patched.getPorts().stream().anyMatch(p -> p.getName().equals(servicePort.getTargetPort().getStrVal())),
                "controller patch does not declare the webhook Service's targetPort " + servicePort.getTargetPort());

        String inject = config.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from");
        Manifest certificate = DeployTree.get(webhook, "Certificate", inject.substring(inject.indexOf('/') + 1));
        assertEquals(inject.substring(0, inject.indexOf('/')), certificate.namespace());
        String certSecret = certificate.doc().path("spec").path("secretName").asString();
        assertTrue(patch.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .anyMatch(v -> v.getSecret() != null && certSecret.equals(v.getSecret().getSecretName())),
                "the controller patch does not mount the certificate Secret " + certSecret);
        List<String> dnsNames = new ArrayList<>();
        certificate.doc().path("spec").path("dnsNames").forEach(n -> dnsNames.add(n.asString()));
        assertTrue(dnsNames.contains(service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc"),
                "certificate does not name the Service the API server calls: " + dnsNames);
    }

    @Test
    void imageRunsTheCliJarAsTheUserTheControllerExpects() throws IOException {
        List<String> dockerfile = Files.readAllLines(DeployTree.deploy().resolve("Dockerfile"));
        assertTrue(dockerfile.contains("COPY cli/target/ferrite.jar /opt/ferrite/ferrite.jar"), "Dockerfile must copy the cli jar");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/opt/ferrite/ferrite.jsa\", \"-jar\","
                + " \"/opt/ferrite/ferrite.jar\"]"), "entrypoint: the jar, with the class-data archive the build dumps for it");
        assertTrue(dockerfile.stream().anyMatch(l -> l.contains(
                "-XX:SharedArchiveFile=/opt/ferrite/ferrite.jsa -cp /opt/ferrite/ferrite.jar")),
                "the archive is dumped for the jar the entrypoint runs");
        String user = dockerfile.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Dockerfile sets no USER")).substring(5).split(":")[0];
        assertEquals(String.valueOf(controller().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()), user,
                "the controller's runAsUser and the image's USER differ");

        // the kustomization's image override must name the image the containers use, or it does nothing
        String overridden = DeployTree.document(DeployTree.deploy().resolve("kustomization.yaml")).path("images").get(0)
                .path("name").asString();
        for (PodSpec pod : List.of(controller().getSpec().getTemplate().getSpec(), speaker().getSpec().getTemplate().getSpec())) {
            String image = only(pod).getImage();
            assertEquals(overridden, image, "image of " + only(pod).getName() + " (untagged: the kustomization sets the tag)");
        }
        // the tag is the version the build writes into the jar and deploy/image/build tags
        String tag = DeployTree.document(DeployTree.deploy().resolve("kustomization.yaml")).path("images").get(0)
                .path("newTag").asString();
        String pom = Files.readString(DeployTree.deploy().getParent().resolve("pom.xml"));
        java.util.regex.Matcher version = java.util.regex.Pattern
                .compile("<artifactId>ferrite-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find(), "no version in pom.xml");
        assertEquals(version.group(1), tag, "kustomization.yaml images newTag and the pom's version differ");
    }

    @Test
    void examplePoolAndAdvertisementAreAValidConfiguration() {
        List<Manifest> examples = DeployTree.render(DeployTree.deploy().resolve("examples"));
        List<IPAddressPool> pools = DeployTree.all(examples, IPAddressPool.class);
        List<L2Advertisement> ads = DeployTree.all(examples, L2Advertisement.class);
        assertEquals(1, pools.size());
        assertEquals(1, ads.size());
        for (Manifest m : examples) {
            assertEquals(NAMESPACE, m.namespace(), m + " must be where the controller and speakers look");
        }
        ConfigResult result = ConfigParser.parse(pools, ads);
        assertTrue(result instanceof ConfigResult.Valid, "examples are refused: " + result);
    }
}
