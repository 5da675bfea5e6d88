package io.plugboard.demo;

import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.DemoTenantSeeded;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Fills the freshly seeded demo tenant with a few sample connections (random, non-working keys) across
 * three connectors, as its backend would import them, so the credentials view has rows on first start.
 */
@Component
class DemoCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final IntegrationService integrations;
    private final CredentialService credentials;

    DemoCredentials(IntegrationService integrations, CredentialService credentials) {
        this.integrations = integrations;
        this.credentials = credentials;
    }

    @EventListener
    @Order(1)
    void seed(DemoTenantSeeded demo) {
        var previous = SecurityContextHolder.getContext().getAuthentication();
        var seeder = new ApiPrincipal(demo.tenantId(), demo.tenantName(), demo.clientId(), "tenant:demo-seed", null);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(seeder,
                null, List.of(new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT),
                        new SimpleGrantedAuthority("ROLE_" + AppRoles.TENANT_ADMIN))));
        try {
            for (String appKey : List.of("followupboss", "roller", "stripe")) {
                integrations.update(demo.tenantId(), appKey, new IntegrationUpdate(true, null, null, List.of()));
            }
            add(demo, "followupboss", "agent-1001", "Jane Cooper", "Jane's Follow Up Boss",
                    Map.of("apiKey", "fka_demo_" + random()), Map.of());
            add(demo, "followupboss", "agent-1002", "Marcus Lee", "Marcus's Follow Up Boss",
                    Map.of("apiKey", "fka_demo_" + random()), Map.of());
            add(demo, "roller", "venue-ops", "Venue operations", "Main Hall",
                    Map.of("clientId", "demo-main-hall", "clientSecret", random()), Map.of("venue", "Main Hall"));
            add(demo, "roller", "venue-ops", "Venue operations", "Rooftop Bar",
                    Map.of("clientId", "demo-rooftop", "clientSecret", random()), Map.of("venue", "Rooftop Bar"));
            add(demo, "stripe", "office-berlin", "Berlin office", "Berlin office payments",
                    Map.of("apiKey", "sk_test_demo" + random()), Map.of());
        } finally {
            SecurityContextHolder.getContext().setAuthentication(previous);
        }
    }

    private void add(DemoTenantSeeded demo, String appKey, String endUser, String endUserName, String label,
                     Map<String, String> fields, Map<String, Object> metadata) {
        credentials.create(demo.tenantId(), new NewCredential(appKey, endUser, null, endUserName, label, fields,
                metadata, null));
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
