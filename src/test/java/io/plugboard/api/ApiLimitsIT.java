package io.plugboard.api;

import static io.plugboard.api.CredentialsApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** The API's edges in the shared context: unknown paths and the OpenAPI document. Rate limits: {@link ApiRateLimitContextIT}. */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLimitsIT {

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    private TestApi api;
    private String token;

    @BeforeAll
    void tenant() {
        api = new TestApi(port);
        TestTenant tenant = TestTenants.create(context, "limits");
        token = TestApi.token(tenant, "tenant");
    }

    @Test
    void unknownApiPathsAreProblemsNotPortalPages() {
        for (String path : List.of("/api/v1/nothing-here", "/api/v2/credentials", "/api/v1/credentials/cred_x/extra",
                "/api", "/api/", "/api/v1/connectors/hubspot/secrets")) {
            var response = api.get(path, token);
            assertProblem(response, 404, null);
            assertThat(response.body()).doesNotContainIgnoringCase("<html");
        }
        assertProblem(api.send("POST", "/api/v1/unknown", token, "{}"), 404, null);
        assertProblem(api.get("/api/v1/credentials/not-an-id", token), 404, null);
        assertProblem(api.get("/api/v1/credentials/cred_doesNotExist0000000000", token), 404, null);
    }

    @Test
    void unknownApiPathsNeedATokenToo() {
        var response = api.get("/api/v1/nothing-here", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void openApiDocumentListsTheEndpointsAndTheBearerScheme() {
        var response = api.get("/v3/api-docs", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode doc = response.json();
        assertThat(doc.path("openapi").asString()).startsWith("3.");

        JsonNode paths = doc.path("paths");
        var operations = new ArrayList<String>();
        paths.properties().forEach(p -> p.getValue().propertyNames()
                .forEach(method -> operations.add(method.toUpperCase() + " " + p.getKey())));
        assertThat(operations).contains(
                "GET /api/v1/connectors",
                "GET /api/v1/end-users",
                "GET /api/v1/credentials",
                "POST /api/v1/credentials",
                "GET /api/v1/credentials/{id}",
                "PATCH /api/v1/credentials/{id}",
                "DELETE /api/v1/credentials/{id}",
                "GET /api/v1/proxy/{path}",
                "POST /api/v1/proxy/{path}");
        assertThat(operations).allSatisfy(op -> assertThat(op).contains(" /api/v1/"));

        var listParameters = new ArrayList<String>();
        paths.path("/api/v1/credentials").path("get").path("parameters")
                .forEach(p -> listParameters.add(p.path("name").asString()));
        assertThat(listParameters).contains("appKey", "endUserId", "status", "metadata", "cursor", "limit");

        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.propertyNames()).hasSize(1);
        String schemeName = schemes.propertyNames().iterator().next();
        JsonNode scheme = schemes.path(schemeName);
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.path("bearerFormat").asString()).contains("JWT").contains("HS512");
        assertThat(doc.path("security").toString()).contains(schemeName);
        assertThat(doc.path("info").path("description").asString()).contains("HS512").contains("iss").contains("sub");
    }

    @Test
    void browsableApiDocsArePublished() {
        var response = api.get("/api-docs", null);
        assertThat(response.status()).as(response.toString()).isIn(200, 302);
        String location = response.headers().firstValue("Location").orElse("/api-docs");
        var page = api.get(location.replaceFirst("^https?://[^/]+", ""), null);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger");
    }
}
