package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The portal user a single sign-on stands for: found by e-mail, created on first sign-in in the provider's tenant,
 * its role set to what the provider's claims say now. The same refusals as a password sign-in (disabled user,
 * suspended tenant) plus one of its own: an e-mail that is another tenant's user (or platform staff, or a tenant
 * user at the platform's provider) never signs in through this provider. Everything is audited, refusals too.
 */
@Component
public class SsoAccounts {

    private final PortalUserRepository users;
    private final TenantRepository tenants;
    private final Passwords passwords;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final PortalAccess access;

    SsoAccounts(PortalUserRepository users, TenantRepository tenants, Passwords passwords, AuditLog audit,
                TransactionTemplate transactions, DataSource dataSource, Clock clock, PortalAccess access) {
        this.access = access;
        this.users = users;
        this.tenants = tenants;
        this.passwords = passwords;
        this.audit = audit;
        this.transactions = transactions;
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    private record Outcome(@Nullable PortalPrincipal principal, @Nullable Refusal refusal) {
    }

    private record Refusal(String cause, String message, @Nullable UUID userId) {
    }

    /**
     * @throws SignInRefusedException with a message for the sign-in page; the refusal is audited
     */
    public PortalPrincipal admit(SsoIdentity who) {
        Outcome outcome = TenantScope.platform("single sign-on finds the user by e-mail before its tenant is checked",
                () -> transactions.execute(status -> admitScoped(who)));
        if (Objects.requireNonNull(outcome).principal() != null) {
            // Committed: the new session's first request must see the role just set, not a copy from before.
            access.forget(outcome.principal().userId());
            return outcome.principal();
        }
        Refusal refusal = Objects.requireNonNull(outcome.refusal());
        refuse(who.tenantId(), who.email(), who.provider(), refusal.cause(), refusal.userId());
        throw new SignInRefusedException(refusal.message());
    }

    /** Records a refusal decided before a user was looked at (the provider, the e-mail's domain, the claims). */
    public void refuse(@Nullable UUID tenantId, String email, String provider, String cause, @Nullable UUID userId) {
        var record = AuditRecord.of("user.signin.failed", tenantId).detail("cause", cause).detail("method", "sso")
                .detail("provider", provider);
        if (userId != null) {
            record = record.target("user", userId);
        }
        AuditRecord finalRecord = record;
        TenantScope.platform("a refused sign-in is recorded before anyone is signed in", () ->
                transactions.executeWithoutResult(status ->
                        audit.record(AuditActor.anonymous(email.isEmpty() ? "(blank)" : email), finalRecord)));
    }

    /**
     * Ends every open portal session of the tenant's users but {@code except}'s: their next request finds their
     * access changed (the epoch every session compares with its user's row) and goes to the sign-in page, on every
     * instance through the access feed. For a tenant that has just started to require single sign-on, whose users'
     * password sessions would otherwise go on. The number of users whose sessions were ended.
     */
    public int endSessions(UUID tenantId, @Nullable UUID except) {
        return jdbc.update("UPDATE portal_users SET access_epoch = access_epoch + 1 WHERE tenant_id = ? "
                + "AND id IS DISTINCT FROM ?", tenantId, except);
    }

    private Outcome admitScoped(SsoIdentity who) {
        Optional<Tenant> tenant = who.tenantId() == null ? Optional.empty() : tenants.findById(who.tenantId());
        if (who.tenantId() != null && (tenant.isEmpty() || !tenant.get().active())) {
            return refused("tenant_suspended", "Your organisation's access to Plugboard is suspended.", null);
        }
        Instant now = clock.instant();
        Optional<PortalUser> found = users.findByEmail(who.email());
        PortalUser user;
        if (found.isPresent()) {
            user = found.get();
            if (!Objects.equals(user.tenantId(), who.tenantId())) {
                return refused("other_tenant", "The e-mail " + who.email() + " belongs to a Plugboard account that "
                        + "does not sign in with this identity provider. Ask your administrator.", user.id());
            }
            if (!user.enabled()) {
                return refused("user_disabled", "Your Plugboard account is disabled. Ask your administrator.",
                        user.id());
            }
            if (!user.role().equals(who.role())) {
                String before = user.role();
                user.changeRole(who.role(), now);
                users.saveAndFlush(user);
                audit.record(AuditActor.anonymous(who.email()), AuditRecord.of("user.role.changed", who.tenantId())
                        .target("user", user.id()).detail("from", before).detail("to", who.role())
                        .detail("source", "sso").detail("provider", who.provider()));
            }
        } else {
            String name = who.displayName().isBlank() ? who.email() : who.displayName().strip();
            user = new PortalUser(UUID.randomUUID(), who.tenantId(), who.email(),
                    name.length() > 200 ? name.substring(0, 200) : name, who.role(),
                    // Nobody knows this password: the account signs in through its provider until an admin resets it.
                    passwords.hash(passwords.generate()), now);
            users.saveAndFlush(user);
            audit.record(AuditActor.anonymous(who.email()), AuditRecord.of("user.created", who.tenantId())
                    .target("user", user.id()).detail("email", who.email()).detail("role", who.role())
                    .detail("source", "sso").detail("provider", who.provider()));
        }
        // The database bumps the epoch on a role change; the session must start with the value it now holds.
        Long epoch = jdbc.queryForObject("SELECT access_epoch FROM portal_users WHERE id = ?", Long.class, user.id());
        var principal = new PortalPrincipal(user.id(), user.email(), user.displayName(), user.role(),
                user.tenantId(), tenant.map(Tenant::name).orElse(null), epoch == null ? 0 : epoch);
        audit.record(AuditLog.actorOf(principal), AuditRecord.of("user.signin.succeeded", user.tenantId())
                .target("user", user.id()).detail("method", "sso").detail("provider", who.provider()));
        return new Outcome(principal, null);
    }

    private static Outcome refused(String cause, String message, @Nullable UUID userId) {
        return new Outcome(null, new Refusal(cause, message, userId));
    }
}
