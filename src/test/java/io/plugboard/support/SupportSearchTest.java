package io.plugboard.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.NewCredential;
import io.plugboard.support.SupportMatch.Kind;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The support search across tenants: what it finds, that it shows only the tenant and the matched field, that every
 * search is audited, that only platform staff may search, and that each lookup can use an index.
 */
class SupportSearchTest extends BrowserlessViewTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    SupportSearch search;
    @Autowired
    CredentialService credentials;
    @Autowired
    IntegrationService integrations;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String endUser = "eu-" + suffix;
    private final String email = "Jane." + suffix + "@Example.com";
    private final String secretName = "Jane Hidden " + suffix;
    private TestTenant north;
    private TestTenant south;
    private CredentialView northCredential;

    @BeforeEach
    void twoTenantsWithTheSameEndUserId() {
        north = TestTenants.create(context, "north" + suffix);
        south = TestTenants.create(context, "south" + suffix);
        northCredential = connect(north, email);
        connect(south, "other-" + suffix + "@example.com");
    }

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void findsAnEndUserByIdInEveryTenantShowingOnlyTheTenantAndTheId() {
        SignedIn.as(jdbc, "support@plugboard.local");
        List<SupportMatch> matches = search.search("  " + endUser + " ");
        assertThat(matches).extracting(SupportMatch::tenantId).containsExactlyInAnyOrder(north.id(), south.id());
        assertThat(matches).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(Kind.END_USER_ID);
            assertThat(m.matched()).isEqualTo(endUser);
            // Nothing else of the end user: not their e-mail, not their name.
            assertThat(m.toString()).doesNotContain(secretName, email, "example.com");
        });
    }

    @Test
    void findsAnEndUserByEmailInAnyCaseAndShowsOnlyTheEmail() {
        SignedIn.as(jdbc, "support@plugboard.local");
        List<SupportMatch> matches = search.search(email.toLowerCase());
        assertThat(matches).singleElement().satisfies(m -> {
            assertThat(m.tenantId()).isEqualTo(north.id());
            assertThat(m.kind()).isEqualTo(Kind.END_USER_EMAIL);
            assertThat(m.matched()).isEqualTo(email);
            assertThat(m.toString()).doesNotContain(secretName, endUser);
        });
    }

    @Test
    void findsACredentialByIdAndTenantsByPartOfTheirNameOrSlug() {
        SignedIn.as(jdbc, "platform@plugboard.local");
        assertThat(search.search(northCredential.id())).singleElement().satisfies(m -> {
            assertThat(m.tenantId()).isEqualTo(north.id());
            assertThat(m.kind()).isEqualTo(Kind.CREDENTIAL_ID);
            assertThat(m.matched()).isEqualTo(northCredential.id());
            assertThat(m.toString()).doesNotContain("apiKey", endUser);
        });
        // TestTenants names a tenant "Tenant <slug>": part of the name, in another case, finds it by name.
        assertThat(search.search("TENANT NORTH" + suffix.toUpperCase())).singleElement().satisfies(m -> {
            assertThat(m.tenantId()).isEqualTo(north.id());
            assertThat(m.kind()).isEqualTo(Kind.TENANT_NAME);
            assertThat(m.matched()).isEqualTo("Tenant " + north.slug());
        });
        assertThat(search.search("south" + suffix)).extracting(SupportMatch::tenantId).containsExactly(south.id());
        assertThat(search.search("no-such-thing-" + suffix)).isEmpty();
    }

    @Test
    void likeWildcardsInTheQueryAreTakenLiterally() {
        SignedIn.as(jdbc, "support@plugboard.local");
        assertThat(search.search("%" + suffix.substring(0, 2) + "%")).isEmpty();
        assertThat(search.search("___")).isEmpty();
    }

    @Test
    void everySearchIsAuditedWithItsQueryOutsideAnyTenant() {
        SignedIn.as(jdbc, "support@plugboard.local");
        search.search(endUser);
        Map<String, Object> event = jdbc.queryForMap("""
                SELECT tenant_id, actor_label, reason, details FROM audit_events
                WHERE action = 'support.search' AND details LIKE ? ORDER BY seq DESC LIMIT 1""", "%" + endUser + "%");
        assertThat(event.get("tenant_id")).isNull();
        assertThat(event.get("actor_label")).isEqualTo("support@plugboard.local");
        assertThat(event.get("reason")).isNull();
        assertThat(event.get("details").toString()).contains("\"query\":\"" + endUser + "\"", "\"matches\":2");
    }

    @Test
    void aQueryMustBeSpecificEnoughAndOnOneLine() {
        SignedIn.as(jdbc, "support@plugboard.local");
        assertThatThrownBy(() -> search.search(" ab ")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Type at least 3 characters.");
        assertThatThrownBy(() -> search.search("abc\ndef")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> search.search("x".repeat(255))).isInstanceOf(InvalidRequestException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'support.search' "
                + "AND details LIKE '%abc%def%'", Long.class)).as("refused searches are not run").isZero();
    }

    @Test
    void tenantUsersAndAuditorsCannotSearchAcrossTenants() {
        SignedIn.as(jdbc, north.adminEmail());
        assertThatThrownBy(() -> search.search(endUser)).isInstanceOf(AccessDeniedException.class);
        SignedIn.as(jdbc, "auditor@demo.local");
        assertThatThrownBy(() -> search.search(endUser)).isInstanceOf(AccessDeniedException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'support.search' "
                + "AND details LIKE ?", Long.class, "%" + endUser + "%")).isZero();
    }

    @Test
    void eachLookupCanUseAnIndex() {
        // With sequential scans priced out, the plan shows which index serves each predicate: if a query stopped
        // matching its index (say lower() on one side only), the plan would fall back to a scan and this fails.
        assertThat(plan(SupportSearchStore.END_USERS, endUser, endUser, endUser, endUser, 50))
                .contains("end_users_external_id", "end_users_email_lower");
        assertThat(plan(SupportSearchStore.TENANTS, "%abc%", "%abc%", "%abc%", "%abc%", 50))
                .contains("tenants_search_trgm");
        assertThat(plan(SupportSearchStore.CREDENTIALS, northCredential.id())).contains("credentials_pkey");
    }

    private String plan(String sql, Object... args) {
        return transactions.execute(status -> {
            jdbc.execute("SET LOCAL enable_seqscan = off");
            return String.join("\n", jdbc.queryForList("EXPLAIN " + sql, String.class, args));
        });
    }

    private CredentialView connect(TestTenant tenant, String endUserEmail) {
        var previous = org.springframework.security.core.context.SecurityContextHolder.getContext();
        SignedIn.as(jdbc, tenant.adminEmail());
        try {
            integrations.update(tenant.id(), "followupboss", new IntegrationUpdate(true, null, null, List.of()));
            return credentials.create(tenant.id(), new NewCredential("followupboss", endUser, endUserEmail, secretName,
                    null, Map.of("apiKey", "fub-" + UUID.randomUUID()), Map.of(), null));
        } finally {
            org.springframework.security.core.context.SecurityContextHolder.setContext(previous);
        }
    }
}
