package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.audit.AuditActor;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.AppRoles;
import io.plugboard.security.PendingSignIn;
import io.plugboard.security.PendingSignInToken;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.SecondFactors.Outcome;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Second factor: enrolment, the code step of sign-in (replay, recovery codes, lockout), policy and admin reset. */
@PlugboardTest
class SecondFactorsIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SecondFactors factors;
    @Autowired
    PortalAuthenticationProvider provider;

    private TestTenant tenant;

    @BeforeEach
    void freshTenant() {
        tenant = TestTenants.create(context, "factor");
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void enrolmentStoresTheSecretSealedAndTheRecoveryCodesHashedAndIsAudited() {
        SignedIn.as(jdbc, tenant.adminEmail());
        var enrolment = factors.begin(tenant.adminEmail());
        assertThat(enrolment.otpauthUri()).startsWith("otpauth://totp/Plugboard:").contains("issuer=Plugboard");

        List<String> codes = factors.confirm(enrolment, TestCodes.totp(enrolment.secret(), 0));

        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        byte[] stored = jdbc.queryForObject("SELECT totp_secret FROM portal_user_factors WHERE user_id = ?",
                byte[].class, userId(tenant.adminEmail()));
        String storedText = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(storedText).doesNotContain(enrolment.secretText().replace(" ", ""))
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(enrolment.secret()));
        List<String> hashes = jdbc.queryForList("SELECT code_hash FROM portal_user_recovery_codes WHERE user_id = ?",
                String.class, userId(tenant.adminEmail()));
        assertThat(hashes).hasSize(10).noneMatch(h -> codes.stream().anyMatch(c -> h.contains(SecondFactors.normalise(c))));
        assertThat(factors.status().enrolled()).isTrue();
        assertThat(factors.status().recoveryCodesLeft()).isEqualTo(10);
        assertThat(audits("user.second_factor.enrolled", tenant.adminEmail())).isEqualTo(1);
    }

    @Test
    void aWrongCodeAtEnrolmentStoresNothing() {
        SignedIn.as(jdbc, tenant.adminEmail());
        var enrolment = factors.begin(tenant.adminEmail());
        String wrong = TestCodes.totp(enrolment.secret(), 5);

        assertThatThrownBy(() -> factors.confirm(enrolment, wrong)).isInstanceOf(InvalidRequestException.class);
        assertThat(factors.status().enrolled()).isFalse();
    }

    @Test
    void aUserWithASecondFactorIsNotSignedInByThePasswordAlone() {
        enrol(tenant.adminEmail());

        Authentication result = passwordSignIn(tenant.adminEmail());

        assertThat(result).isInstanceOf(PendingSignInToken.class);
        assertThat(result.getAuthorities()).isEmpty();
        assertThat(((PendingSignInToken) result).pending().enrol()).isFalse();
    }

    @Test
    void aUserWithoutOneIsSignedInByThePassword() {
        assertThat(passwordSignIn(tenant.adminEmail())).isInstanceOf(UsernamePasswordAuthenticationToken.class);
    }

    @Test
    void theRightCodeSignsInOnceAndTheSameCodeNeverAgain() {
        byte[] secret = enrol(tenant.adminEmail());
        PendingSignIn pending = pending(tenant.adminEmail());
        String next = TestCodes.totp(secret, 1);

        assertThat(factors.verify(pending, next)).isEqualTo(Outcome.ACCEPTED);
        assertThat(factors.verify(pending(tenant.adminEmail()), next)).as("replayed").isEqualTo(Outcome.WRONG);
        assertThat(factors.verify(pending(tenant.adminEmail()), TestCodes.totp(secret, 0)))
                .as("an older step than the one taken").isEqualTo(Outcome.WRONG);
        assertThat(audits("user.signin.succeeded", tenant.adminEmail())).isEqualTo(1);
    }

    @Test
    void aWrongCodeIsRefusedAndAudited() {
        byte[] secret = enrol(tenant.adminEmail());
        String wrong = TestCodes.totp(secret, 3);

        assertThat(factors.verify(pending(tenant.adminEmail()), wrong)).isEqualTo(Outcome.WRONG);
        assertThat(factors.verify(pending(tenant.adminEmail()), "not a code")).isEqualTo(Outcome.WRONG);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.signin.failed' "
                + "AND actor_label = ? AND details LIKE '%bad_second_factor%'", Long.class, tenant.adminEmail()))
                .isEqualTo(2);
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        SignedIn.as(jdbc, tenant.adminEmail());
        var enrolment = factors.begin(tenant.adminEmail());
        List<String> codes = factors.confirm(enrolment, TestCodes.totp(enrolment.secret(), 0));
        SecurityContextHolder.clearContext();

        assertThat(factors.verify(pending(tenant.adminEmail()), codes.get(3).toUpperCase()))
                .isEqualTo(Outcome.RECOVERY_CODE_USED);
        assertThat(factors.verify(pending(tenant.adminEmail()), codes.get(3))).isEqualTo(Outcome.WRONG);
        assertThat(audits("user.second_factor.recovery_code_used", tenant.adminEmail())).isEqualTo(1);
        SignedIn.as(jdbc, tenant.adminEmail());
        assertThat(factors.status().recoveryCodesLeft()).isEqualTo(9);
    }

    @Test
    void wrongCodesLockTheAccountLikeWrongPasswordsAndThePasswordDoesNotBuyMoreGuesses() {
        byte[] secret = enrol(tenant.adminEmail());
        String wrong = TestCodes.totp(secret, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(factors.verify(pending(tenant.adminEmail()), wrong)).isEqualTo(Outcome.WRONG);
        }
        // Signing in again with the right password leaves the count where it was.
        assertThat(passwordSignIn(tenant.adminEmail())).isInstanceOf(PendingSignInToken.class);

        assertThat(factors.verify(pending(tenant.adminEmail()), wrong)).isEqualTo(Outcome.LOCKED);
        assertThat(factors.verify(pending(tenant.adminEmail()), TestCodes.totp(secret, 1)))
                .as("even the right code, while locked").isEqualTo(Outcome.LOCKED);
        assertThatThrownBy(() -> passwordSignIn(tenant.adminEmail()))
                .isInstanceOf(org.springframework.security.authentication.LockedException.class);
    }

    @Test
    void aTenantThatRequiresASecondFactorSendsItsUsersToEnrolment() {
        assertThat(passwordSignIn(tenant.adminEmail())).isInstanceOf(UsernamePasswordAuthenticationToken.class);
        SignedIn.as(jdbc, tenant.adminEmail());
        factors.setTenantRequires(tenant.id(), true);
        SecurityContextHolder.clearContext();

        Authentication result = passwordSignIn(tenant.adminEmail());

        assertThat(result).isInstanceOf(PendingSignInToken.class);
        assertThat(((PendingSignInToken) result).pending().enrol()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'tenant.second_factor.required' "
                + "AND tenant_id = ?", Long.class, tenant.id())).isEqualTo(1);
    }

    @Test
    void platformStaffMustEnrol() {
        String email = "staff-" + UUID.randomUUID() + "@plugboard.local";
        TenantScope.platform("test: a platform admin creates staff", () -> context.getBean(TenantProvisioning.class)
                .createUser(AuditActor.SYSTEM, UserScope.platform(),
                        new NewUser(email, "Staff", AppRoles.SUPPORT, TestTenants.ADMIN_PASSWORD)));

        Authentication result = passwordSignIn(email);

        assertThat(result).isInstanceOf(PendingSignInToken.class);
        assertThat(((PendingSignInToken) result).pending().enrol()).isTrue();
    }

    @Test
    void aTenantAdminResetsTheirUsersSecondFactorWithAReasonAndTheUserEnrolsAgain() {
        String colleague = "colleague-" + UUID.randomUUID() + "@example.com";
        SignedIn.as(jdbc, tenant.adminEmail());
        context.getBean(UserService.class).create(UserScope.tenant(tenant.id()),
                new NewUser(colleague, "Colleague", AppRoles.TENANT_ADMIN, TestTenants.ADMIN_PASSWORD));
        enrol(colleague);
        SignedIn.as(jdbc, tenant.adminEmail());
        UUID colleagueId = userId(colleague);

        assertThatThrownBy(() -> factors.reset(colleagueId, " ")).isInstanceOf(InvalidRequestException.class);
        factors.reset(colleagueId, "Lost their phone; confirmed by video call");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_user_factors WHERE user_id = ?", Long.class,
                colleagueId)).isZero();
        assertThat(jdbc.queryForObject("SELECT reason FROM audit_events WHERE action = 'user.second_factor.reset' "
                + "AND target_id = ?", String.class, colleagueId.toString()))
                .isEqualTo("Lost their phone; confirmed by video call");
        SecurityContextHolder.clearContext();
        assertThat(passwordSignIn(colleague)).as("optional in this tenant: signed in by the password again")
                .isInstanceOf(UsernamePasswordAuthenticationToken.class);
    }

    @Test
    void aTenantAdminCannotResetAnotherTenantsUser() {
        TestTenant other = TestTenants.create(context, "factor-other");
        enrol(other.adminEmail());
        UUID otherAdmin = userId(other.adminEmail());
        SignedIn.as(jdbc, tenant.adminEmail());

        assertThatThrownBy(() -> factors.reset(otherAdmin, "Trying someone else's user"))
                .isInstanceOf(NotFoundException.class);
        SecurityContextHolder.clearContext();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_user_factors WHERE user_id = ?", Long.class,
                otherAdmin)).isEqualTo(1);
    }

    @Test
    void aPlatformAdminResetsAnyonesSecondFactor() {
        enrol(tenant.adminEmail());
        SignedIn.as(jdbc, "platform@plugboard.local");

        factors.resetByEmail(" " + tenant.adminEmail().toUpperCase() + " ", "Tenant admin locked out, ticket 4711");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM portal_user_factors WHERE user_id = ?", Long.class,
                userId(tenant.adminEmail()))).isZero();
        assertThat(jdbc.queryForObject("SELECT tenant_id FROM audit_events WHERE action = 'user.second_factor.reset' "
                + "AND target_id = ?", UUID.class, userId(tenant.adminEmail()).toString())).isEqualTo(tenant.id());
    }

    @Test
    void aTenantAdminCannotResetByEmail() {
        enrol(tenant.adminEmail());
        SignedIn.as(jdbc, tenant.adminEmail());

        assertThatThrownBy(() -> factors.resetByEmail("platform@plugboard.local", "Not mine to reset at all"))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
    }

    /** Enrols the user as they would on their Security page; returns the secret their app holds. */
    private byte[] enrol(String email) {
        SignedIn.as(jdbc, email);
        var enrolment = factors.begin(email);
        factors.confirm(enrolment, TestCodes.totp(enrolment.secret(), 0));
        SecurityContextHolder.clearContext();
        return enrolment.secret();
    }

    private PendingSignIn pending(String email) {
        return new PendingSignIn(SignedIn.principal(jdbc, email), false, java.time.Instant.now(), "203.0.113.9");
    }

    private Authentication passwordSignIn(String email) {
        var attempt = UsernamePasswordAuthenticationToken.unauthenticated(email, TestTenants.ADMIN_PASSWORD);
        attempt.setDetails(new WebAuthenticationDetails("203.0.113.9", null));
        return provider.authenticate(attempt);
    }

    private UUID userId(String email) {
        return jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, email);
    }

    private long audits(String action, String actorLabel) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND actor_label = ?",
                Long.class, action, actorLabel);
    }
}
