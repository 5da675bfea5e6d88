package io.plugboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * deploy/k8s: every overlay rendered with {@code kubectl kustomize} (as an operator applies it) and the rendered
 * objects checked: several non-root pods on a read-only root filesystem with the actuator probes, secrets only from
 * Secrets, a sticky ingress to the pods, a disruption budget and network policy that select them, and a database
 * reachable with both roles.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("deploy/k8s");
    private static final Pattern SECRET_SETTING = Pattern.compile(".*(PASSWORD|MASTER_KEY|_USER|USERNAME).*");

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> directories = Files.list(K8S.resolve("overlays"))) {
            return directories.map(directory -> directory.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void thereAreASingleDatabaseAndAProductionOverlay() throws IOException {
        assertThat(overlays()).containsExactly("production", "standalone");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void severalPodsRollOneAtATimeWithTheActuatorProbes(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        JsonNode deployment = rendered.one("Deployment", "plugboard");
        JsonNode container = container(deployment);

        assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.at("/spec/strategy/type").asString()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        for (String resource : List.of("/resources/requests/cpu", "/resources/requests/memory", "/resources/limits/memory")) {
            assertThat(container.at(resource).asString()).as(resource).isNotBlank();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunAsTheImagesUserOnAReadOnlyRootFilesystemWithWritableTmpAndDataDir(String overlay) throws Exception {
        JsonNode pod = render(overlay).one("Deployment", "plugboard").at("/spec/template/spec");
        JsonNode container = container(render(overlay).one("Deployment", "plugboard"));
        String imageUser = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(line -> line.startsWith("USER ")).findFirst().orElseThrow().substring(5).split(":")[0];

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asString()).isEqualTo(imageUser);
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(mount -> mounts.put(mount.path("mountPath").asString(), mount.path("name").asString()));
        for (String writable : List.of("/tmp", "/data")) {
            assertThat(mounts).containsKey(writable);
            assertThat(volume(pod, mounts.get(writable)).has("emptyDir")).as(writable).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsComeFromSecretsAndTheConfigMapExists(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        JsonNode container = container(rendered.one("Deployment", "plugboard"));
        List<String> fromSecrets = new ArrayList<>();

        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asString();
            if (SECRET_SETTING.matcher(name).matches()) {
                assertThat(env.has("value")).as("%s is written into the manifest", name).isFalse();
                assertThat(env.at("/valueFrom/secretKeyRef/name").asString()).as(name).isNotBlank();
                fromSecrets.add(name);
            }
        }
        assertThat(fromSecrets).contains("PLUGBOARD_MASTER_KEY", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                "SPRING_LIQUIBASE_USER", "SPRING_LIQUIBASE_PASSWORD");
        for (JsonNode source : container.path("envFrom")) {
            JsonNode configMap = rendered.one("ConfigMap", source.at("/configMapRef/name").asString());
            configMap.path("data").propertyNames().forEach(key -> assertThat(key).doesNotMatch(SECRET_SETTING));
            assertThat(configMap.at("/data/PLUGBOARD_PUBLIC_URL").asString()).startsWith("https://");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIngressIsStickyAndReachesThePodsThroughTheService(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        JsonNode deployment = rendered.one("Deployment", "plugboard");
        JsonNode ingress = rendered.one("Ingress", "plugboard");
        JsonNode annotations = ingress.at("/metadata/annotations");

        assertThat(annotations.path("nginx.ingress.kubernetes.io/affinity").asString()).isEqualTo("cookie");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/affinity-mode").asString()).isEqualTo("persistent");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/session-cookie-name").asString()).isNotBlank();
        JsonNode backend = ingress.at("/spec/rules/0/http/paths/0/backend/service");
        JsonNode service = rendered.one("Service", backend.path("name").asString());
        assertThat(selects(service.at("/spec/selector"), deployment)).isTrue();
        JsonNode port = service.at("/spec/ports/0");
        assertThat(port.path("name").asString()).isEqualTo(backend.at("/port/name").asString());
        assertThat(container(deployment).at("/ports/0/name").asString()).isEqualTo(port.path("targetPort").asString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDisruptionBudgetAndNetworkPolicySelectThePods(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        JsonNode deployment = rendered.one("Deployment", "plugboard");
        JsonNode budget = rendered.one("PodDisruptionBudget", "plugboard");
        JsonNode policy = rendered.one("NetworkPolicy", "plugboard");

        assertThat(selects(budget.at("/spec/selector/matchLabels"), deployment)).isTrue();
        assertThat(budget.at("/spec/minAvailable").asInt())
                .as("a drain must be able to evict a pod").isBetween(1, deployment.at("/spec/replicas").asInt() - 1);
        assertThat(selects(policy.at("/spec/podSelector/matchLabels"), deployment)).isTrue();
        assertThat(policy.at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(container(deployment).at("/ports/0/containerPort").asInt());
        JsonNode databaseLabels = rendered.databasePodLabels();
        assertThat(policy.at("/spec/egress").valueStream().anyMatch(rule -> rule.at("/ports/0/port").asInt() == 5432
                && contains(databaseLabels, rule.at("/to/0/podSelector/matchLabels")))).isTrue();
    }

    @Test
    void standaloneRunsOnePostgresWithTheRolesScriptOfTheComposeDeployment() throws Exception {
        Rendered rendered = render("standalone");
        JsonNode postgres = rendered.one("StatefulSet", "plugboard-postgres");
        JsonNode configMap = rendered.one("ConfigMap", volume(postgres.at("/spec/template/spec"), "init").at("/configMap/name").asString());

        assertThat(postgres.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(postgres.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("postgres:18");
        assertThat(configMap.at("/data/10-plugboard-roles.sh").asString())
                .isEqualTo(Files.readString(Path.of("deploy/compose/postgres-init/10-plugboard-roles.sh")));
        assertThat(rendered.databaseUrl()).isEqualTo("jdbc:postgresql://" + rendered.one("Service", "plugboard-postgres")
                .at("/metadata/name").asString() + ":5432/plugboard");
        assertThat(secretOf(container(postgres), "PLUGBOARD_DB_APP_PASSWORD"))
                .isEqualTo(secretOf(container(rendered.one("Deployment", "plugboard")), "SPRING_DATASOURCE_PASSWORD"));
        assertThat(secretOf(container(postgres), "PLUGBOARD_DB_OWNER_PASSWORD"))
                .isEqualTo(secretOf(container(rendered.one("Deployment", "plugboard")), "SPRING_LIQUIBASE_PASSWORD"));
    }

    @Test
    void productionRunsOnAThreeInstanceCloudNativePgClusterWithBothRoles() throws Exception {
        Rendered rendered = render("production");
        JsonNode cluster = rendered.one("Cluster", "plugboard-db");
        JsonNode plugboard = container(rendered.one("Deployment", "plugboard"));

        assertThat(cluster.path("apiVersion").asString()).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(cluster.at("/spec/instances").asInt()).isEqualTo(3);
        assertThat(rendered.databaseUrl()).isEqualTo("jdbc:postgresql://plugboard-db-rw:5432/plugboard");
        assertThat(rendered.all("StatefulSet")).isEmpty();
        JsonNode initdb = cluster.at("/spec/bootstrap/initdb");
        assertThat(initdb.path("database").asString()).isEqualTo("plugboard");
        assertThat(initdb.path("owner").asString()).isEqualTo("plugboard_owner");
        assertThat(initdb.path("postInitApplicationSQL").toString()).contains(ComposeDeploymentTest.LEAKPROOF_FUNCTIONS);
        assertThat(initdb.at("/secret/name").asString()).isEqualTo(secretOf(plugboard, "SPRING_LIQUIBASE_PASSWORD"));
        JsonNode runtime = cluster.at("/spec/managed/roles").valueStream()
                .filter(role -> role.path("name").asString().equals("plugboard_app")).findFirst().orElseThrow();
        assertThat(runtime.path("login").asBoolean()).isTrue();
        for (String privilege : List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
            assertThat(runtime.path(privilege).asBoolean(true)).as(privilege).isFalse();
        }
        assertThat(runtime.at("/passwordSecret/name").asString()).isEqualTo(secretOf(plugboard, "SPRING_DATASOURCE_PASSWORD"));
    }

    private static JsonNode container(JsonNode workload) {
        return workload.at("/spec/template/spec/containers/0");
    }

    private static JsonNode volume(JsonNode pod, String name) {
        return pod.path("volumes").valueStream().filter(volume -> volume.path("name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String secretOf(JsonNode container, String variable) {
        return container.path("env").valueStream().filter(env -> env.path("name").asString().equals(variable))
                .findFirst().orElseThrow().at("/valueFrom/secretKeyRef/name").asString();
    }

    private static boolean selects(JsonNode selector, JsonNode workload) {
        return !selector.isEmpty() && contains(workload.at("/spec/template/metadata/labels"), selector);
    }

    private static boolean contains(JsonNode labels, JsonNode wanted) {
        return !wanted.isMissingNode() && wanted.properties().stream()
                .allMatch(label -> label.getValue().equals(labels.path(label.getKey())));
    }

    private static Rendered render(String overlay) throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not installed (.ci/run installs it)");
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectError(errors.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(errors)).isZero();
            return new Rendered(YamlDocuments.all(output));
        } finally {
            Files.delete(errors);
        }
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, program)).filter(Files::isExecutable).findFirst();
    }

    private record Rendered(List<JsonNode> objects) {

        List<JsonNode> all(String kind) {
            return objects.stream().filter(object -> object.path("kind").asString().equals(kind)).toList();
        }

        JsonNode one(String kind, String name) {
            List<JsonNode> found = all(kind).stream()
                    .filter(object -> object.at("/metadata/name").asString().equals(name)
                            || object.at("/metadata/name").asString().startsWith(name + "-") && kind.equals("ConfigMap"))
                    .toList();
            assertThat(found).as("%s %s", kind, name).hasSize(1);
            return found.getFirst();
        }

        String databaseUrl() {
            JsonNode container = container(one("Deployment", "plugboard"));
            return one("ConfigMap", container.at("/envFrom/0/configMapRef/name").asString())
                    .at("/data/SPRING_DATASOURCE_URL").asString();
        }

        /** Labels of the database's pods: a StatefulSet's template, or what a CloudNativePG cluster gives its pods. */
        JsonNode databasePodLabels() {
            List<JsonNode> clusters = all("Cluster");
            return clusters.isEmpty()
                    ? one("StatefulSet", "plugboard-postgres").at("/spec/template/metadata/labels")
                    : clusters.getFirst().at("/spec/inheritedMetadata/labels");
        }
    }
}
