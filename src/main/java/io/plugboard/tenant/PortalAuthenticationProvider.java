package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.PendingSignIn;
import io.plugboard.security.PendingSignInToken;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.security.SignInRefusedException;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Portal sign-in. Every failure reads "invalid credentials" whatever the cause (unknown e-mail,
 * wrong password, disabled user, suspended tenant); only a lock is named, and unknown e-mails lock too.
 */
@Component
class PortalAuthenticationProvider implements AuthenticationProvider {

    static final String INVALID = "Invalid credentials";
    static final String LOCKED = "Too many failed sign-ins. The account is temporarily locked; try again later.";
    static final String SSO_REQUIRED = "Your organisation signs in with single sign-on. Enter your e-mail and "
            + "choose Continue.";
    static final String THROTTLED = "Too many failed sign-ins from your network. Try again later.";

    private final PortalUserRepository users;
    private final TenantRepository tenants;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final SecondFactors secondFactors;
    private final Clock clock;
    private final ObjectProvider<PasswordSignInPolicy> passwordPolicy;

    PortalAuthenticationProvider(PortalUserRepository users, TenantRepository tenants, Passwords passwords,
                                 SignInThrottle throttle, AuditLog audit, TransactionTemplate transactions,
                                 SecondFactors secondFactors, Clock clock,
                                 ObjectProvider<PasswordSignInPolicy> passwordPolicy) {
        this.passwordPolicy = passwordPolicy;
        this.users = users;
        this.tenants = tenants;
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
        this.transactions = transactions;
        this.secondFactors = secondFactors;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        return TenantScope.platform("sign-in finds the user by e-mail before its tenant is known",
                () -> authenticateScoped(authentication));
    }

    private Authentication authenticateScoped(Authentication authentication) {
        String email = authentication.getName() == null ? "" : authentication.getName().strip().toLowerCase(Locale.ROOT);
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String ip = sourceIp(authentication);

        // Refused before the password is looked at: anyone can repeat these without bound, so they are counted per
        // address and window rather than each growing the audit trail.
        if (throttle.ipThrottled(ip)) {
            failRepeatedly(email, ip, "ip_throttled");
            throw new LockedException(THROTTLED);
        }
        if (throttle.emailLocked(email)) {
            failRepeatedly(email, ip, "locked");
            throw new LockedException(LOCKED);
        }
        Optional<PortalUser> found = email.isEmpty() ? Optional.empty() : users.findByEmail(email);
        boolean passwordOk = passwords.matches(password, found.map(PortalUser::passwordHash).orElse(null));
        Optional<Tenant> tenant = found.map(PortalUser::tenantId).flatMap(tenants::findById);
        String cause = found.isEmpty() ? "unknown_user"
                : !passwordOk ? "bad_password"
                : !found.get().enabled() ? "user_disabled"
                : tenant.isPresent() && !tenant.get().active() ? "tenant_suspended"
                : null;
        if (cause != null) {
            UserAndTenant who = new UserAndTenant(found.orElse(null), tenant.orElse(null));
            boolean nowLocked = transactions.execute(status -> {
                boolean locked = throttle.recordFailure(email, ip);
                fail(email, who, cause);
                if (locked) {
                    audit.record(AuditActor.anonymous(email), AuditRecord.of("user.signin.lockout", who.tenantId())
                            .target("email", email));
                }
                return locked;
            });
            throw nowLocked ? new LockedException(LOCKED) : new BadCredentialsException(INVALID);
        }
        PortalUser user = found.get();
        PasswordSignInPolicy policy = passwordPolicy.getIfAvailable();
        if (user.tenantId() != null && policy != null && policy.passwordRefused(user.tenantId(), user.id())) {
            // The password was right, so this is no guess: not counted towards a lock, and the page may say why.
            transactions.executeWithoutResult(status -> fail(email, new UserAndTenant(user, tenant.orElse(null)),
                    "sso_required"));
            throw new SignInRefusedException(SSO_REQUIRED);
        }
        var principal = new PortalPrincipal(user.id(), user.email(), user.displayName(), user.role(),
                user.tenantId(), tenant.map(Tenant::name).orElse(null), user.accessEpoch());
        boolean enrolled = secondFactors.enrolled(user.id());
        if (enrolled || secondFactors.required(user.role(), user.tenantId())) {
            // Not signed in yet, and the failures are not cleared: only the code (or the enrolment) does that, so
            // signing in again with the password does not buy more guesses at the code.
            audit.record(AuditLog.actorOf(principal), AuditRecord.of("user.signin.second_factor_required",
                    user.tenantId()).target("user", user.id()).detail("step", enrolled ? "code" : "enrol"));
            return new PendingSignInToken(new PendingSignIn(principal, !enrolled, clock.instant(), ip));
        }
        transactions.executeWithoutResult(status -> {
            throttle.recordSuccess(email);
            audit.record(AuditLog.actorOf(principal), AuditRecord.of("user.signin.succeeded", user.tenantId())
                    .target("user", user.id()));
        });
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + user.role())));
    }

    private void fail(String email, @Nullable UserAndTenant who, String cause) {
        UserAndTenant known = who == null ? new UserAndTenant(null, null) : who;
        var record = AuditRecord.of("user.signin.failed", known.tenantId()).detail("cause", cause);
        if (known.user() != null) {
            record = record.target("user", known.user().id());
        }
        audit.record(AuditActor.anonymous(email.isEmpty() ? "(blank)" : email), record);
    }

    private void failRepeatedly(String email, String ip, String cause) {
        audit.recordRepeated("user.signin.failed:" + cause, ip, AuditActor.anonymous(email.isEmpty() ? "(blank)" : email),
                AuditRecord.of("user.signin.failed", null).detail("cause", cause));
    }

    private static String sourceIp(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private record UserAndTenant(@Nullable PortalUser user, @Nullable Tenant tenant) {
        java.util.@Nullable UUID tenantId() {
            return user == null ? null : user.tenantId();
        }
    }
}
