package io.plugboard.support;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.CreatedConnectSession;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialChange;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.NewCredential;
import io.plugboard.proxy.ApiConsole;
import io.plugboard.proxy.ui.ConsoleFixture;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.tenant.AllowedOrigins;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.UserScope;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * A support session is read-only until customer success enable changes, and the services — not only the views —
 * hold that line: every data-changing action is refused before it touches anything. Once changes are enabled the
 * same actions go through, each audited under the support user with the session's reason. (Browserless base: the
 * support session lives in the portal's Vaadin session.)
 */
class SupportReadOnlyTest extends BrowserlessViewTest {

    private static final String SUPPORT = "support@plugboard.local";
    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    CurrentUser currentUser;
    @Autowired
    CredentialService credentials;
    @Autowired
    ApiConsole console;
    @Autowired
    ConnectSessionService connectSessions;
    @Autowired
    IntegrationService integrations;
    @Autowired
    CustomConnectorService customConnectors;
    @Autowired
    TenantConnectors connectors;
    @Autowired
    AllowedOrigins allowedOrigins;
    @Autowired
    io.plugboard.tenant.UserService users;
    @Autowired
    TenantService tenants;

    private ConsoleFixture fixture;
    private UUID tenantId;
    private String reason;
    private CreatedConnectSession adminsSession;

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @BeforeEach
    void tenantWithCredentialsAndAConnectLink() {
        fixture = ConsoleFixture.create(context, provider, "support-ro", 200);
        tenantId = fixture.tenant().id();
        reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": customer asks why a venue is wrong";
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        adminsSession = connectSessions.create(tenantId, new NewConnectSession(
                new NewConnectSession.EndUser("user-bravo", null, null), null, null, null, null, null));
        SignedIn.as(jdbc, SUPPORT);
        supportSwitch.switchTo(tenantId, reason);
    }

    @Test
    void withoutEnablingChangesEveryDataChangingActionIsRefusedByItsService() {
        String id = fixture.id(0);
        String appKey = fixture.credentials().getFirst().appKey();
        var request = new ApiConsole.ConsoleRequest("POST", ConsoleFixture.PING, null, Map.of(), "{}");
        ConnectorDefinition definition = connectors.find(tenantId, appKey).orElseThrow().definition();

        // Reads work: the support session is for looking.
        assertThat(credentials.list(tenantId, CredentialFilter.none(), Pageable.ofSize(10))).hasSize(3);
        assertThat(currentUser.mayChangeTenantData()).isFalse();

        refused(() -> credentials.revoke(tenantId, id));
        refused(() -> credentials.revokeAll(tenantId, List.of(id, fixture.id(1))));
        refused(() -> credentials.update(tenantId, id, new CredentialChange("Renamed by support", null)));
        refused(() -> credentials.reconnect(tenantId, id, new NewCredential(appKey, "user-alpha", null, null, null,
                Map.of("apiKey", "replaced-" + UUID.randomUUID()), null, null)));
        refused(() -> console.auditRun(tenantId, List.of(id), request));
        refused(() -> console.run(tenantId, id, request));
        refused(() -> connectSessions.create(tenantId, new NewConnectSession(
                new NewConnectSession.EndUser("user-alpha", null, null), null, null, null, null, id)));
        refused(() -> connectSessions.refresh(tenantId, adminsSession.sessionId()));
        refused(() -> connectSessions.cancel(tenantId, adminsSession.sessionId()));
        refused(() -> integrations.update(tenantId, appKey, new IntegrationUpdate(false, null, null, List.of())));
        refused(() -> integrations.checkClientCredentials(tenantId, appKey, "client", "secret"));
        refused(() -> customConnectors.save(tenantId, definition));

        assertNothingChanged(id);
    }

    @Test
    void settingsUsersAndTheClientSecretStayTheTenantsOwnEvenWithChangesEnabled() {
        supportSwitch.enableChanges();
        refused(() -> allowedOrigins.update(tenantId, List.of("https://support.example")));
        refused(() -> users.create(UserScope.tenant(tenantId), new NewUser(
                "x-" + UUID.randomUUID() + "@support.example", "X", AppRoles.TENANT_ADMIN, null)));
        refused(() -> tenants.rotateClientSecret(tenantId));
        refused(() -> tenants.apiCredentials(tenantId));
        assertThat(allowedOrigins.of(tenantId)).isEmpty();
    }

    @Test
    void afterEnablingChangesEachActionGoesThroughAuditedWithTheSessionsReason() {
        supportSwitch.enableChanges();
        assertThat(currentUser.mayChangeTenantData()).isTrue();
        String appKey = fixture.credentials().getFirst().appKey();
        ConnectorDefinition definition = connectors.find(tenantId, appKey).orElseThrow().definition();

        assertThat(credentials.update(tenantId, fixture.id(0), new CredentialChange("Renamed by support", null))
                .label()).isEqualTo("Renamed by support");
        assertThat(credentials.reconnect(tenantId, fixture.id(0), new NewCredential(appKey, "user-alpha", null, null,
                null, Map.of("apiKey", "replaced-" + UUID.randomUUID()), null, null)).status())
                .isEqualTo(CredentialStatus.ACTIVE);
        var request = new ApiConsole.ConsoleRequest("GET", ConsoleFixture.PING, null, Map.of(), null);
        console.auditRun(tenantId, List.of(fixture.id(1)), request);
        assertThat(console.run(tenantId, fixture.id(1), request).status()).isEqualTo(200);
        var link = connectSessions.create(tenantId, new NewConnectSession(
                new NewConnectSession.EndUser("user-alpha", null, null), null, null, null, null, fixture.id(0)));
        connectSessions.refresh(tenantId, link.sessionId());
        connectSessions.cancel(tenantId, link.sessionId());
        integrations.update(tenantId, appKey, new IntegrationUpdate(true, null, null, List.of()));
        customConnectors.save(tenantId, definition);
        // Past the guard: refused for what it is (not a client-credentials connector), not for who asks.
        assertThatThrownBy(() -> integrations.checkClientCredentials(tenantId, appKey, "client", "secret"))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(credentials.revoke(tenantId, fixture.id(1)).status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(credentials.revokeAll(tenantId, List.of(fixture.id(2)))).isEqualTo(1);

        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT action, reason FROM audit_events
                WHERE tenant_id = ? AND actor_label = ? ORDER BY seq""", tenantId, SUPPORT);
        assertThat(events).extracting(e -> e.get("action")).containsExactly(
                "support.tenant.switched", "support.changes.enabled",
                "credential.metadata.updated", "credential.reconnected", "console.run",
                "connect_session.created", "connect_session.refreshed", "connect_session.cancelled",
                "integration.updated", "connector.custom.updated",
                "credential.revoked", "credential.revoked");
        assertThat(events).allSatisfy(e -> assertThat(e.get("reason")).isEqualTo(reason));
    }

    @Test
    void enabledChangesReachOnlyTheTenantOfTheSession() {
        supportSwitch.enableChanges();
        UUID other = TestTenants.create(context, "support-other").id();
        assertThatThrownBy(() -> credentials.revokeAll(other, List.of(fixture.id(0))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> integrations.update(other, "followupboss",
                new IntegrationUpdate(true, null, null, List.of()))).isInstanceOf(NotFoundException.class);
        assertThat(status(fixture.id(0))).isEqualTo("ACTIVE");
    }

    @Test
    void anEndedSessionCanChangeNothingEvenIfChangesWereEnabled() {
        supportSwitch.enableChanges();
        supportSwitch.end(SupportSwitchService.Ending.ON_DEMAND);
        assertThatThrownBy(() -> credentials.revoke(tenantId, fixture.id(0))).isInstanceOf(NotFoundException.class);
        assertThat(status(fixture.id(0))).isEqualTo("ACTIVE");
    }

    private static void refused(ThrowingCallable action) {
        assertThatThrownBy(action).isInstanceOf(AccessDeniedException.class);
    }

    private void assertNothingChanged(String id) {
        assertThat(jdbc.queryForList("SELECT status FROM credentials WHERE tenant_id = ?", String.class, tenantId))
                .containsOnly("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT label FROM credentials WHERE id = ?", String.class, id))
                .isEqualTo("Probe alpha");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE tenant_id = ?", Long.class,
                tenantId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM connect_sessions WHERE id = ?", String.class,
                adminsSession.sessionId())).isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT enabled FROM integrations WHERE tenant_id = ?", Boolean.class,
                tenantId)).isTrue();
        provider.verify(0, anyRequestedFor(urlPathEqualTo(fixture.pingPath())));
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE tenant_id = ? AND actor_label = ?",
                String.class, tenantId, SUPPORT)).containsExactly("support.tenant.switched");
    }

    private String status(String credentialId) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credentialId);
    }
}
