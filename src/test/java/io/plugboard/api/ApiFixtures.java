package io.plugboard.api;

import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fresh tenant with connectors whose provider is a stand-in on localhost: two OAuth connectors whose
 * RFC 7009 revocation endpoints live under {@code /<slug>/basic/revoke} and {@code /<slug>/post/revoke},
 * an API-key connector, all with metadata fields; plus the built-in Follow Up Boss. All enabled; the
 * built-in HubSpot stays disabled.
 */
final class ApiFixtures {

    static final String OAUTH_BASIC = "stand-in-basic";
    static final String OAUTH_POST = "stand-in-post";
    static final String API_KEY = "stand-in-key";
    static final String BUILT_IN_API_KEY = "followupboss";
    static final String BUILT_IN_DISABLED = "hubspot";
    /** The tenant's OAuth app at the stand-in provider; odd characters test the form encoding of Basic auth. */
    static final String APP_CLIENT_ID = "plugboard client";
    static final String APP_CLIENT_SECRET = "app-secret:with/odd+chars";

    private ApiFixtures() {
    }

    static TestTenant tenant(ApplicationContext context, String prefix, String providerBase) {
        TestTenant tenant = TestTenants.create(context, prefix);
        var customs = context.getBean(CustomConnectorService.class);
        var integrations = context.getBean(IntegrationService.class);
        SignedIn.as(context.getBean(JdbcTemplate.class), tenant.adminEmail());
        try {
            String revokeBase = providerBase + "/" + tenant.slug();
            customs.save(tenant.id(), customs.parse(oauth(OAUTH_BASIC, "client_secret_basic", providerBase,
                    revokeBase + "/basic/revoke")));
            customs.save(tenant.id(), customs.parse(oauth(OAUTH_POST, "client_secret_post", providerBase,
                    revokeBase + "/post/revoke")));
            customs.save(tenant.id(), customs.parse(apiKey(API_KEY, providerBase)));
            for (String appKey : List.of(OAUTH_BASIC, OAUTH_POST)) {
                integrations.update(tenant.id(), appKey,
                        new IntegrationUpdate(true, APP_CLIENT_ID, APP_CLIENT_SECRET, List.of()));
            }
            for (String appKey : List.of(API_KEY, BUILT_IN_API_KEY)) {
                integrations.update(tenant.id(), appKey, new IntegrationUpdate(true, null, null, List.of()));
            }
        } finally {
            SignedIn.out();
        }
        return tenant;
    }

    /** Adds one more custom API-key connector to a tenant, enabled. */
    static void customConnector(ApplicationContext context, TestTenant tenant, String appKey, String providerBase) {
        var customs = context.getBean(CustomConnectorService.class);
        SignedIn.as(context.getBean(JdbcTemplate.class), tenant.adminEmail());
        try {
            customs.save(tenant.id(), customs.parse(apiKey(appKey, providerBase)));
            context.getBean(IntegrationService.class).update(tenant.id(), appKey,
                    new IntegrationUpdate(true, null, null, List.of()));
        } finally {
            SignedIn.out();
        }
    }

    private static String oauth(String appKey, String clientAuthentication, String base, String revocationUrl) {
        return """
                appKey: %s
                name: Stand-in %s
                category: VENUE
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s/authorize
                  tokenUrl: %s/token
                  revocationUrl: %s
                  clientAuthentication: %s
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                metadata:
                  - key: venue
                    label: Venue
                    type: STRING
                    required: true
                  - key: seats
                    label: Seats
                    type: NUMBER
                  - key: vip
                    label: VIP
                    type: BOOLEAN
                """.formatted(appKey, appKey, base, base, revocationUrl, clientAuthentication, base);
    }

    private static String apiKey(String appKey, String base) {
        return """
                appKey: %s
                name: Stand-in %s
                category: OTHER
                authMode: API_KEY
                api:
                  baseUrl: %s/key-api
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                  - key: account
                    label: Account name
                    secret: false
                    required: false
                metadata:
                  - key: venue
                    label: Venue
                    type: STRING
                """.formatted(appKey, appKey, base);
    }
}
