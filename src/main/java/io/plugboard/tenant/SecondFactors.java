package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.PendingSignIn;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.TenantScope;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Portal users' second factor (docs/security.md, "Second factor"): TOTP enrolment with ten one-time recovery codes,
 * the code step of sign-in, who must have one, and an admin's reset. A user's own factor is reached in the platform
 * scope by their own id: customer success working inside a tenant still owns their platform-level row.
 */
@Service
public class SecondFactors {

    static final String ISSUER = "Plugboard";
    /** What the sign-in page says when codes locked the account: the same as for passwords. */
    public static final String LOCKED_MESSAGE = PortalAuthenticationProvider.LOCKED;
    /** How long a sign-in may owe its second factor before it starts over with the password. */
    public static final java.time.Duration PENDING_FOR = java.time.Duration.ofMinutes(10);
    static final int RECOVERY_CODES = 10;
    private static final String SCOPE = "a portal user's own second factor, whatever tenant they work in";
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final SecretVault vault;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final PortalSessionRegistry sessions;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SecondFactors(DataSource dataSource, SecretVault vault, Passwords passwords, SignInThrottle throttle, AuditLog audit,
                  CurrentUser currentUser, PortalSessionRegistry sessions, TransactionTemplate transactions,
                  Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.vault = vault;
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
        this.currentUser = currentUser;
        this.sessions = sessions;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A secret offered for enrolment: shown once as a QR code and as text, stored only once a code confirms it. */
    public record Enrolment(String account, String secretText, String otpauthUri, byte[] secret) {
    }

    /** What the user's Security page shows. */
    public record Status(boolean enrolled, @Nullable Instant enrolledAt, int recoveryCodesLeft, boolean required) {
    }

    /** How a code given at sign-in was taken. */
    public enum Outcome {
        /** A current TOTP code, never used before. */
        ACCEPTED,
        /** One of the recovery codes, now used up. */
        RECOVERY_CODE_USED,
        WRONG,
        /** Too many failures: the e-mail (or the address) is locked, as after wrong passwords. */
        LOCKED
    }

    static SecretBinding binding(UUID userId, @Nullable UUID tenantId) {
        return new SecretBinding("portal_user.totp_secret", tenantId, userId.toString());
    }

    // ---- policy ----

    /** Platform admins and customer success always; a tenant's users when their tenant requires it. */
    boolean required(String role, @Nullable UUID tenantId) {
        if (role.equals(AppRoles.PLATFORM_ADMIN) || role.equals(AppRoles.SUPPORT)) {
            return true;
        }
        return tenantId != null && tenantRequires(tenantId);
    }

    boolean enrolled(UUID userId) {
        return TenantScope.platform(SCOPE, () -> !jdbc.queryForList(
                "SELECT 1 FROM portal_user_factors WHERE user_id = ?", userId).isEmpty());
    }

    public boolean tenantRequires(UUID tenantId) {
        return Boolean.TRUE.equals(TenantScope.platform("a tenant's sign-in rule, read at sign-in", () ->
                jdbc.queryForObject("SELECT require_second_factor FROM tenants WHERE id = ?", Boolean.class, tenantId)));
    }

    @PreAuthorize("hasRole('TENANT_ADMIN')")
    public void setTenantRequires(UUID tenantId, boolean required) {
        currentUser.requireWritableTenant(tenantId);
        transactions.executeWithoutResult(status -> {
            int changed = TenantScope.platform("a tenant's sign-in rule", () -> jdbc.update(
                    "UPDATE tenants SET require_second_factor = ? WHERE id = ? AND require_second_factor <> ?",
                    required, tenantId, required));
            if (changed == 1) {
                audit.record(AuditRecord.of(required ? "tenant.second_factor.required" : "tenant.second_factor.optional",
                        tenantId).target("tenant", tenantId));
            }
        });
    }

    // ---- the signed-in user's own factor ----

    @PreAuthorize("isAuthenticated()")
    public Status status() {
        PortalPrincipal me = currentUser.require();
        return TenantScope.platform(SCOPE, () -> {
            List<Instant> enrolledAt = jdbc.queryForList("SELECT enrolled_at FROM portal_user_factors WHERE user_id = ?",
                    Timestamp.class, me.userId()).stream().map(Timestamp::toInstant).toList();
            Integer left = jdbc.queryForObject(
                    "SELECT count(*) FROM portal_user_recovery_codes WHERE user_id = ? AND used_at IS NULL",
                    Integer.class, me.userId());
            return new Status(!enrolledAt.isEmpty(), enrolledAt.isEmpty() ? null : enrolledAt.getFirst(),
                    left == null ? 0 : left, required(me.role(), me.tenantId()));
        });
    }

    /** A new secret for {@code account} (the user's e-mail); nothing is stored yet. */
    public Enrolment begin(String account) {
        byte[] secret = Totp.newSecret();
        return new Enrolment(account, Totp.base32(secret).replaceAll("(.{4})(?!$)", "$1 "),
                Totp.otpauthUri(ISSUER, account, secret), secret);
    }

    /** The signed-in user confirms a code of the secret offered; returns the recovery codes, shown once. */
    @PreAuthorize("isAuthenticated()")
    public List<String> confirm(Enrolment enrolment, String code) {
        PortalPrincipal me = currentUser.require();
        return confirm(me, enrolment, code, AuditLog.actorOf(me));
    }

    /** The same during a sign-in that must enrol before it gets in. */
    public List<String> confirm(PendingSignIn pending, Enrolment enrolment, String code) {
        if (!pending.enrol()) {
            throw new IllegalStateException("this sign-in has a second factor already");
        }
        return confirm(pending.principal(), enrolment, code, AuditLog.actorOf(pending.principal()));
    }

    private List<String> confirm(PortalPrincipal who, Enrolment enrolment, String code, AuditActor actor) {
        if (!enrolment.account().equals(who.email())) {
            throw new IllegalStateException("an enrolment offered to another account");
        }
        OptionalLong step = Totp.matchingStep(enrolment.secret(), code.strip(), clock.instant());
        if (step.isEmpty()) {
            throw new InvalidRequestException("That code does not match. Check the time on your phone and try the "
                    + "code your app shows now.");
        }
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            codes.add(recoveryCode());
        }
        List<String> hashes = codes.stream().map(c -> passwords.hash(normalise(c))).toList();
        byte[] sealed = vault.seal(binding(who.userId(), who.tenantId()),
                Base64.getEncoder().encodeToString(enrolment.secret()));
        transactions.executeWithoutResult(status -> TenantScope.platform(SCOPE, () -> {
            int inserted = jdbc.update("""
                    INSERT INTO portal_user_factors (user_id, tenant_id, totp_secret, enrolled_at, last_step)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING""",
                    who.userId(), who.tenantId(), sealed, Timestamp.from(clock.instant()), step.getAsLong());
            if (inserted == 0) {
                throw new InvalidRequestException("A second factor is set up already. Remove it first.");
            }
            for (String hash : hashes) {
                jdbc.update("INSERT INTO portal_user_recovery_codes (id, user_id, tenant_id, code_hash) VALUES (?, ?, ?, ?)",
                        UUID.randomUUID(), who.userId(), who.tenantId(), hash);
            }
            audit.record(actor, AuditRecord.of("user.second_factor.enrolled", who.tenantId())
                    .target("user", who.userId()).detail("method", "totp").detail("recoveryCodes", RECOVERY_CODES));
        }));
        return codes;
    }

    /** The signed-in user removes their own factor, unless they must have one. */
    @PreAuthorize("isAuthenticated()")
    public void remove() {
        PortalPrincipal me = currentUser.require();
        if (required(me.role(), me.tenantId())) {
            throw new InvalidRequestException("Your role or your organisation requires a second factor: it cannot "
                    + "be removed.");
        }
        transactions.executeWithoutResult(status -> TenantScope.platform(SCOPE, () -> {
            if (jdbc.update("DELETE FROM portal_user_factors WHERE user_id = ?", me.userId()) == 1) {
                audit.record(AuditRecord.of("user.second_factor.removed", me.tenantId()).target("user", me.userId()));
            }
        }));
    }

    // ---- sign-in ----

    /**
     * Checks a code given at sign-in: a TOTP code of the step window not used before, or an unused recovery code.
     * Wrong ones count toward the e-mail's lockout exactly like wrong passwords, and a sign-in that owes its code
     * does not clear the count: only the code does.
     */
    public Outcome verify(PendingSignIn pending, String typed) {
        PortalPrincipal who = pending.principal();
        return TenantScope.platform("sign-in's second step, before the session is signed in", () -> {
            if (throttle.ipThrottled(pending.sourceIp()) || throttle.emailLocked(who.email())) {
                return Outcome.LOCKED;
            }
            String code = typed == null ? "" : typed.strip();
            String compact = code.replace(" ", "");
            boolean totpShaped = compact.length() == Totp.DIGITS && compact.chars().allMatch(Character::isDigit);
            Outcome outcome = totpShaped ? totp(who, compact) : recovery(who, code);
            if (outcome == Outcome.WRONG) {
                boolean locked = Boolean.TRUE.equals(transactions.execute(status -> {
                    boolean nowLocked = throttle.recordFailure(who.email(), pending.sourceIp());
                    AuditActor anonymous = AuditActor.anonymous(who.email());
                    audit.record(anonymous, AuditRecord.of("user.signin.failed", who.tenantId())
                            .target("user", who.userId()).detail("cause", "bad_second_factor"));
                    if (nowLocked) {
                        audit.record(anonymous, AuditRecord.of("user.signin.lockout", who.tenantId())
                                .target("email", who.email()));
                    }
                    return nowLocked;
                }));
                return locked ? Outcome.LOCKED : Outcome.WRONG;
            }
            signedIn(who, outcome == Outcome.ACCEPTED ? "totp" : "recovery_code");
            return outcome;
        });
    }

    /** A sign-in that enrolled gets in: audited like any other. */
    public void enrolledAtSignIn(PendingSignIn pending) {
        TenantScope.platform("sign-in's second step, before the session is signed in",
                () -> signedIn(pending.principal(), "enrolled"));
    }

    private void signedIn(PortalPrincipal who, String factor) {
        transactions.executeWithoutResult(status -> {
            throttle.recordSuccess(who.email());
            audit.record(AuditLog.actorOf(who), AuditRecord.of("user.signin.succeeded", who.tenantId())
                    .target("user", who.userId()).detail("secondFactor", factor));
        });
    }

    private Outcome totp(PortalPrincipal who, String code) {
        List<byte[]> sealed = jdbc.queryForList("SELECT totp_secret FROM portal_user_factors WHERE user_id = ?",
                byte[].class, who.userId());
        if (sealed.isEmpty()) {
            return Outcome.WRONG;
        }
        byte[] secret = Base64.getDecoder().decode(vault.open(binding(who.userId(), who.tenantId()), sealed.getFirst()));
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        if (step.isEmpty()) {
            return Outcome.WRONG;
        }
        // A code's step must be later than the last one taken: the same code (or an older one) never works twice.
        int taken = jdbc.update("UPDATE portal_user_factors SET last_step = ? WHERE user_id = ? AND last_step < ?",
                step.getAsLong(), who.userId(), step.getAsLong());
        return taken == 1 ? Outcome.ACCEPTED : Outcome.WRONG;
    }

    private record StoredCode(UUID id, String hash) {
    }

    private Outcome recovery(PortalPrincipal who, String typed) {
        String code = normalise(typed);
        if (code.length() != 10) {
            return Outcome.WRONG;
        }
        List<StoredCode> unused = jdbc.query(
                "SELECT id, code_hash FROM portal_user_recovery_codes WHERE user_id = ? AND used_at IS NULL",
                (rs, n) -> new StoredCode(rs.getObject("id", UUID.class), rs.getString("code_hash")), who.userId());
        Optional<StoredCode> match = unused.stream().filter(c -> passwords.matches(code, c.hash())).findFirst();
        if (match.isEmpty()) {
            return Outcome.WRONG;
        }
        return Boolean.TRUE.equals(transactions.execute(status -> {
            int used = jdbc.update("UPDATE portal_user_recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
                    Timestamp.from(clock.instant()), match.get().id());
            if (used == 1) {
                audit.record(AuditLog.actorOf(who), AuditRecord.of("user.second_factor.recovery_code_used",
                        who.tenantId()).target("user", who.userId()).detail("left", unused.size() - 1));
            }
            return used == 1;
        })) ? Outcome.RECOVERY_CODE_USED : Outcome.WRONG;
    }

    // ---- admins ----

    /**
     * Removes a user's second factor and ends their sessions; they enrol again at their next sign-in if they must
     * have one. Tenant admins reset their tenant's users, platform admins anyone's.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'PLATFORM_ADMIN')")
    public void reset(UUID userId, String reason) {
        PortalPrincipal admin = currentUser.require();
        String why = resetReason(reason);
        if (admin.userId().equals(userId)) {
            throw new InvalidRequestException("Change your own second factor on your Security page.");
        }
        transactions.executeWithoutResult(status -> TenantScope.platform("an admin resets a user's second factor", () -> {
            List<UUID> tenant = jdbc.query("SELECT tenant_id FROM portal_users WHERE id = ?",
                    (rs, n) -> rs.getObject(1, UUID.class), userId);
            if (tenant.isEmpty()) {
                throw new NotFoundException("User");
            }
            UUID userTenant = tenant.getFirst();
            if (!admin.role().equals(AppRoles.PLATFORM_ADMIN)) {
                if (userTenant == null || !userTenant.equals(admin.tenantId())) {
                    throw new NotFoundException("User");
                }
                currentUser.requireWritableTenant(userTenant);
            } else {
                currentUser.requireCurrentActor();
            }
            if (jdbc.update("DELETE FROM portal_user_factors WHERE user_id = ?", userId) == 0) {
                throw new InvalidRequestException("This user has no second factor to reset.");
            }
            int ended = sessions.endAll(userId, null, "second_factor_reset");
            audit.record(AuditRecord.of("user.second_factor.reset", userTenant).target("user", userId).reason(why)
                    .detail("sessionsEnded", ended));
        }));
    }

    /**
     * A platform admin resets anyone's second factor, found by e-mail: a tenant's user too, whom the platform admin's
     * users list does not show.
     */
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    public void resetByEmail(String email, String reason) {
        String typed = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        List<UUID> found = TenantScope.platform("a platform admin finds any user by e-mail", () -> jdbc.queryForList(
                "SELECT id FROM portal_users WHERE email = ?", UUID.class, typed));
        if (found.isEmpty()) {
            throw new NotFoundException("User");
        }
        reset(found.getFirst(), reason);
    }

    private static String resetReason(@Nullable String reason) {
        String normalized = reason == null ? "" : reason.strip();
        if (normalized.length() < 10) {
            throw new InvalidRequestException("Say why the second factor is reset (at least 10 characters).");
        }
        if (normalized.length() > 1000) {
            throw new InvalidRequestException("The reason must be at most 1000 characters.");
        }
        return normalized;
    }

    static String normalise(String code) {
        return code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
    }

    private static String recoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                code.append('-');
            }
            code.append(RECOVERY_ALPHABET[RANDOM.nextInt(RECOVERY_ALPHABET.length)]);
        }
        return code.toString();
    }
}
