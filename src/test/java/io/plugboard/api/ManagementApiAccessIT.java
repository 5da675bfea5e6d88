package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The management API is for the tenant's backend acting as the tenant: a token minted for one end user is
 * refused on every path of it, whatever the method, before any controller runs.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiAccessIT {

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    private TestApi api;
    private TestTenant tenant;

    @BeforeAll
    void tenant() {
        api = new TestApi(port);
        tenant = TestTenants.create(context, "mgmt-access");
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /api/v1/integrations",
            "PATCH, /api/v1/integrations/roller",
            "PUT, /api/v1/integrations/roller/oauth-app",
            "GET, /api/v1/integrations/roller",
            "DELETE, /api/v1/integrations/roller/oauth-app",
            "PUT, /api/v1/integrations/followupboss/settings",
            "GET, /api/v1/custom-connectors",
            "POST, /api/v1/custom-connectors",
            "GET, /api/v1/custom-connectors/acme",
            "PUT, /api/v1/custom-connectors/acme",
            "DELETE, /api/v1/custom-connectors/acme",
            "GET, /api/v1/webhooks",
            "POST, /api/v1/webhooks",
            "GET, /api/v1/webhooks/wh_1",
            "PATCH, /api/v1/webhooks/wh_1",
            "DELETE, /api/v1/webhooks/wh_1",
            "POST, /api/v1/webhooks/wh_1/rotate-secret",
            "POST, /api/v1/webhooks/wh_1/test",
            "GET, /api/v1/webhooks/wh_1/deliveries",
            "POST, /api/v1/webhooks/wh_1/deliveries/1/redeliver",
            "GET, /api/v1/audit/events",
            "GET, /api/v1/credentials/cred_1/sync",
            "PUT, /api/v1/credentials/cred_1/sync",
            "POST, /api/v1/credentials/cred_1/sync/run",
            "POST, /api/v1/credentials/cred_1/sync/pause",
            "POST, /api/v1/credentials/cred_1/sync/resume",
            "GET, /api/v1/sync/sql-login",
            "POST, /api/v1/sync/sql-login",
            "POST, /api/v1/sync/sql-login/rotate",
            "DELETE, /api/v1/sync/sql-login",
    })
    void anEndUsersTokenIsForbidden(String method, String path) {
        var response = api.send(method, path, TestApi.token(tenant, "end-user-7"),
                method.equals("GET") || method.equals("DELETE") ? null : "{}");

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asString()).contains("end user's token may not manage the tenant");
    }
}
