package io.plugboard.sandbox;

import io.plugboard.connector.AuthMode;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.ConditionalOnDemoMode;
import io.plugboard.tenant.DemoTenantSeeded;
import io.plugboard.tenant.TenantDirectory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts "Sandbox CRM" into the demo tenant: a custom connector pointing at the sandbox, and its
 * integration enabled with the sandbox's OAuth client. The client secret is generated here and stored
 * only in the integration (sealed by the vault); the sandbox's client registry reads it back from there.
 *
 * <p>Runs when the demo tenant is seeded, and again at every start: a demo tenant seeded by an older
 * version gets the connector, and a changed public URL is written into the connector's URLs. An
 * integration that already exists is left alone (an admin may have turned it off).
 */
@Component
@ConditionalOnDemoMode
class SandboxConnector {

    static final String APP_KEY = "sandbox-crm";
    static final String CLIENT_ID = "plugboard-demo";
    static final List<String> SCOPES = List.of("contacts.read", "contacts.write");

    private static final Logger log = LoggerFactory.getLogger(SandboxConnector.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CustomConnectorService customConnectors;
    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final TenantDirectory tenants;
    private final TransactionTemplate transactions;
    private final SandboxUrls urls;

    SandboxConnector(CustomConnectorService customConnectors, TenantConnectors connectors,
                     IntegrationService integrations, TenantDirectory tenants, TransactionTemplate transactions,
                     SandboxUrls urls) {
        this.customConnectors = customConnectors;
        this.connectors = connectors;
        this.integrations = integrations;
        this.tenants = tenants;
        this.transactions = transactions;
        this.urls = urls;
    }

    /** The connector, in the same format an operator or admin would write. */
    ConnectorDefinition definition() {
        var oauth = new ConnectorDefinition.OAuth(urls.authorize(), urls.token(), urls.revoke(), SCOPES, " ", null,
                null, ConnectorDefinition.ClientAuthentication.client_secret_basic, true, Duration.ofMinutes(30), null, null,
                null, null, null, null, null);
        var api = new ConnectorDefinition.Api(urls.api(), null,
                new ConnectorDefinition.Injection(ConnectorDefinition.InjectionType.BEARER, null, null, null, null,
                        null, null));
        return new ConnectorDefinition(APP_KEY, "Sandbox CRM", Category.CRM, urls.home(), null, null,
                AuthMode.OAUTH2_AUTHORIZATION_CODE, oauth, api, null, null,
                new ConnectorDefinition.TestRequest("GET", "/me"));
    }

    @EventListener
    void seeded(DemoTenantSeeded demo) {
        install(demo.tenantId(), demo.tenantName(), demo.clientId());
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        tenants.demo().ifPresent(t -> {
            try {
                install(t.id(), t.name(), t.clientId());
            } catch (RuntimeException e) {
                // Another instance may be doing the same right now; the demo works without this start's update.
                log.warn("Could not set up the sandbox connector in the demo tenant: {}", e.toString());
            }
        });
    }

    /** The secret of the sandbox client, read back from the demo tenant's sealed integration. */
    Optional<String> clientSecret() {
        return tenants.demo().flatMap(t -> TenantScope.tenant(t.id(), () -> integrations.oauthApp(t.id(), APP_KEY)))
                .filter(app -> CLIENT_ID.equals(app.clientId())).map(OAuthApp::clientSecret);
    }

    /** The name the sandbox shows its users for the client: the demo tenant's. */
    String clientName() {
        return tenants.demo().map(TenantDirectory.PublicTenant::name).orElse("Plugboard demo");
    }

    private void install(UUID tenantId, String tenantName, String tenantClientId) {
        TenantScope.tenant(tenantId, () -> installInTenant(tenantId, tenantName, tenantClientId));
    }

    private void installInTenant(UUID tenantId, String tenantName, String tenantClientId) {
        if (!urls.usable()) {
            // Never let the sandbox fail the demo's seeding: without a usable public URL it is left out.
            log.warn("plugboard.public-url '{}' is not an absolute http(s) URL; the Sandbox CRM connector is not set up",
                    urls.publicUrl());
            return;
        }
        var previous = SecurityContextHolder.getContext().getAuthentication();
        var seeder = new ApiPrincipal(tenantId, tenantName, tenantClientId, "tenant:demo-seed", null);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(seeder,
                null, List.of(new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT),
                        new SimpleGrantedAuthority("ROLE_" + AppRoles.TENANT_ADMIN))));
        try {
            transactions.executeWithoutResult(status -> {
                var existing = connectors.find(tenantId, APP_KEY);
                if (existing.isPresent() && existing.get().source() != ConnectorSource.CUSTOM) {
                    log.info("Connector {} comes from the catalog; the sandbox connector is not installed", APP_KEY);
                    return;
                }
                ConnectorDefinition wanted = definition();
                if (existing.isEmpty() || !existing.get().definition().equals(wanted)) {
                    customConnectors.save(tenantId, wanted);
                }
                if (integrations.settings(tenantId, APP_KEY).updatedAt() == null) {
                    integrations.update(tenantId, APP_KEY, new IntegrationUpdate(true, CLIENT_ID, newSecret(), SCOPES));
                    log.info("Demo tenant: Sandbox CRM connected to the sandbox at {}", urls.issuer());
                }
            });
        } finally {
            SecurityContextHolder.getContext().setAuthentication(previous);
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sbx_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
