package io.plugboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * deploy/compose: two Plugboard instances behind a sticky load balancer on one PostgreSQL with both database roles,
 * every secret from .env, every service health-checked.
 */
class ComposeDeploymentTest {

    private static final Path DIR = Path.of("deploy/compose");
    /** docs/operations.md: without these, the searches under row-level security scan instead of using indexes. */
    static final List<String> LEAKPROOF_FUNCTIONS = List.of("pg_catalog.texticlike(text, text)", "pg_catalog.lower(text)",
            "pg_catalog.jsonb_contains(jsonb, jsonb)");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]*}");
    /** A variable from .env, required or empty when unset: never a value written into the file. */
    private static final Pattern VARIABLE_WITHOUT_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+(:\\?[^}]*|:-)?}");
    private static final Pattern SECRET_SETTING = Pattern.compile(".*(PASSWORD|MASTER_KEY).*");

    @Test
    void twoInstancesRunOnTheRuntimeRoleAndMigrateAsTheOwner() throws IOException {
        List<Map.Entry<String, JsonNode>> instances = plugboardServices();

        assertThat(instances).hasSize(2);
        for (Map.Entry<String, JsonNode> instance : instances) {
            JsonNode env = instance.getValue().path("environment");
            assertThat(env.path("SPRING_DATASOURCE_URL").asString()).isEqualTo("jdbc:postgresql://postgres:5432/plugboard");
            assertThat(env.path("SPRING_DATASOURCE_USERNAME").asString()).isEqualTo("plugboard_app");
            assertThat(env.path("SPRING_LIQUIBASE_USER").asString()).isEqualTo("plugboard_owner");
            assertThat(instance.getValue().path("depends_on").path("postgres").path("condition").asString())
                    .isEqualTo("service_healthy");
        }
        assertThat(instances).extracting(instance -> dataVolume(instance.getValue()))
                .as("each instance its own data directory (its own audit checkpoint file)")
                .doesNotContainNull()
                .doesNotHaveDuplicates();
    }

    @Test
    void secretsComeFromTheEnvFileAndNeverFromTheComposeFile() throws IOException {
        JsonNode services = compose().path("services");
        Set<String> secretSettings = new TreeSet<>();

        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (Map.Entry<String, JsonNode> setting : service.getValue().path("environment").properties()) {
                if (SECRET_SETTING.matcher(setting.getKey()).matches()) {
                    secretSettings.add(service.getKey() + "." + setting.getKey());
                    assertThat(setting.getValue().asString())
                            .as("%s of %s", setting.getKey(), service.getKey())
                            .matches(VARIABLE_WITHOUT_DEFAULT.pattern());
                }
            }
        }
        assertThat(secretSettings).contains("plugboard-1.PLUGBOARD_MASTER_KEY", "plugboard-2.SPRING_DATASOURCE_PASSWORD",
                "plugboard-2.SPRING_LIQUIBASE_PASSWORD", "postgres.POSTGRES_PASSWORD");
    }

    @Test
    void theEnvFileExampleNamesEveryRequiredVariable() throws IOException {
        Set<String> required = new TreeSet<>();
        Matcher matcher = REQUIRED_VARIABLE.matcher(Files.readString(DIR.resolve("compose.yaml")));
        while (matcher.find()) {
            required.add(matcher.group(1));
        }
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(DIR.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                documented.add(line.substring(0, line.indexOf('=')));
            }
        }

        assertThat(required).isNotEmpty();
        assertThat(documented).containsAll(required);
        assertThat(Files.readString(Path.of(".gitignore"))).contains("deploy/compose/.env\n");
    }

    @Test
    void everyServiceHasAHealthCheckAndPlugboardsIsTheReadinessProbe() throws IOException {
        for (Map.Entry<String, JsonNode> service : compose().path("services").properties()) {
            assertThat(service.getValue().path("healthcheck").path("test").isArray())
                    .as("health check of %s", service.getKey()).isTrue();
        }
        for (Map.Entry<String, JsonNode> instance : plugboardServices()) {
            assertThat(instance.getValue().path("healthcheck").path("test").toString())
                    .contains("/actuator/health/readiness");
        }
    }

    @Test
    void theLoadBalancerKeepsABrowserOnOneInstanceAndSendsToBoth() throws IOException {
        JsonNode balancer = YamlDocuments.file(DIR.resolve("traefik/dynamic.yaml"))
                .path("http").path("services").path("plugboard").path("loadBalancer");

        assertThat(balancer.path("sticky").path("cookie").path("name").asString()).isNotBlank();
        assertThat(balancer.path("healthCheck").path("path").asString()).isEqualTo("/actuator/health/readiness");
        List<String> servers = new ArrayList<>();
        balancer.path("servers").forEach(server -> servers.add(server.path("url").asString()));
        assertThat(servers).containsExactlyInAnyOrderElementsOf(
                plugboardServices().stream().map(instance -> "http://" + instance.getKey() + ":8080").toList());
    }

    @Test
    void theDatabaseInitScriptCreatesBothRolesWithoutPrivileges() throws IOException {
        String script = Files.readString(DIR.resolve("postgres-init/10-plugboard-roles.sh"));

        assertThat(compose().path("services").path("postgres").path("image").asString()).isEqualTo("postgres:18");
        assertThat(script)
                .contains("CREATE ROLE plugboard_owner LOGIN")
                .contains("CREATE ROLE plugboard_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;")
                .contains("CREATE DATABASE plugboard OWNER plugboard_owner;")
                .contains(LEAKPROOF_FUNCTIONS);
        assertThat(Files.isExecutable(DIR.resolve("postgres-init/10-plugboard-roles.sh"))).isTrue();
    }

    private static JsonNode compose() throws IOException {
        return YamlDocuments.file(DIR.resolve("compose.yaml"));
    }

    /** The services built from this repository. */
    private static List<Map.Entry<String, JsonNode>> plugboardServices() throws IOException {
        return compose().path("services").properties().stream()
                .filter(service -> service.getValue().path("build").path("context").asString().equals("../.."))
                .toList();
    }

    private static String dataVolume(JsonNode service) {
        for (JsonNode volume : service.path("volumes")) {
            if (volume.asString().endsWith(":/data")) {
                return volume.asString();
            }
        }
        return null;
    }
}
