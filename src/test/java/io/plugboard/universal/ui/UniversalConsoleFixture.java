package io.plugboard.universal.ui;

import io.plugboard.SignedIn;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A fresh tenant for the Universal console: three CRMs whose APIs live on a WireMock server under
 * {@code /<slug>/…} — the Sandbox CRM (its mapping {@code sandbox-crm}), Follow Up Boss (a stand-in connector
 * that {@code plugboard.universal.connector-mappings} maps to {@code followupboss}) and a CRM whose mapping can
 * only list people — one credential each, and a credential of a connector no mapping covers.
 */
record UniversalConsoleFixture(TestTenant tenant, String sandbox, String followUpBoss, String listOnly, String other) {

    static final String FUB_KEY = "fub-console-key";

    static UniversalConsoleFixture create(ApplicationContext context, String providerUrl, String prefix) {
        TestTenant tenant = TestTenants.create(context, prefix);
        String base = providerUrl + "/" + tenant.slug();
        var customs = context.getBean(CustomConnectorService.class);
        var integrations = context.getBean(IntegrationService.class);
        var credentials = context.getBean(CredentialService.class);
        SecurityContext previous = SecurityContextHolder.getContext();
        SignedIn.as(context.getBean(JdbcTemplate.class), tenant.adminEmail());
        try {
            for (String yaml : List.of(oauth("sandbox-crm", "Sandbox CRM", base + "/sandbox/api", providerUrl),
                    oauth("listonly-crm", "List-only CRM", base + "/lo", providerUrl),
                    """
                    appKey: fub-standin
                    name: Follow Up Boss
                    category: CRM
                    authMode: API_KEY
                    api:
                      baseUrl: %s/fub/v1
                      auth:
                        type: BASIC
                        username: "{apiKey}"
                        password: ""
                    fields:
                      - key: apiKey
                        label: API key
                        secret: true
                    """.formatted(base),
                    """
                    appKey: ticketing
                    name: Ticketing
                    category: OTHER
                    authMode: API_KEY
                    api:
                      baseUrl: %s/tickets
                      auth:
                        type: HEADER
                        headerName: X-Api-Key
                        template: "{apiKey}"
                    fields:
                      - key: apiKey
                        label: API key
                        secret: true
                    """.formatted(base))) {
                var saved = customs.save(tenant.id(), customs.parse(yaml));
                boolean oauth = saved.definition().authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
                integrations.update(tenant.id(), saved.appKey(), new IntegrationUpdate(true,
                        oauth ? "console-client" : null, oauth ? "console-client-secret" : null, List.of()));
            }
            var tokens = new NewCredential.Tokens("sandbox-access", "sandbox-refresh", "Bearer",
                    Instant.now().plus(Duration.ofHours(1)), List.of(), null);
            String sandbox = credentials.create(tenant.id(), new NewCredential("sandbox-crm", "jane", null, null,
                    "Jane's sandbox", null, Map.of(), tokens)).id();
            String listOnly = credentials.create(tenant.id(), new NewCredential("listonly-crm", "lou", null, null,
                    "Lou's list-only CRM", null, Map.of(), tokens)).id();
            String fub = credentials.create(tenant.id(), new NewCredential("fub-standin", "marcus", null, null,
                    "Marcus's Follow Up Boss", Map.of("apiKey", FUB_KEY), Map.of(), null)).id();
            String other = credentials.create(tenant.id(), new NewCredential("ticketing", "jane", null, null,
                    "Jane's tickets", Map.of("apiKey", "ticket-key"), Map.of(), null)).id();
            return new UniversalConsoleFixture(tenant, sandbox, fub, listOnly, other);
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private static String oauth(String appKey, String name, String apiBase, String providerUrl) {
        return """
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s/oauth/authorize
                  tokenUrl: %s/oauth/token
                  clientAuthentication: client_secret_post
                  pkce: false
                api:
                  baseUrl: %s
                  auth:
                    type: BEARER
                """.formatted(appKey, name, providerUrl, providerUrl, apiBase);
    }

    /** The path below the provider's root where this tenant's CRM APIs live. */
    String path(String rest) {
        return "/" + tenant.slug() + rest;
    }
}
