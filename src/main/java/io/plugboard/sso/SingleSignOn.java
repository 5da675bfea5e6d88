package io.plugboard.sso;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.SsoAccounts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A tenant's identity provider: read, changed, removed, tested; every change audited, the secret never read back. */
@Service
public class SingleSignOn {

    static final String EDITORS = "hasAnyRole('TENANT_ADMIN', 'API_TENANT')";
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:./-]{1,100}");

    private final TenantSsoStore store;
    private final Issuers issuers;
    private final SecretVault vault;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final SsoClientRegistrations registrations;
    private final String publicUrl;
    private final SsoProperties properties;
    private final SsoAccounts accounts;

    SingleSignOn(TenantSsoStore store, Issuers issuers, SecretVault vault, AuditLog audit, CurrentUser currentUser,
                 Clock clock, SsoClientRegistrations registrations, SsoProperties properties, SsoAccounts accounts,
                 @Value("${plugboard.public-url}") String publicUrl) {
        this.accounts = accounts;
        this.properties = properties;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.store = store;
        this.issuers = issuers;
        this.vault = vault;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
        this.registrations = registrations;
    }

    static SecretBinding binding(UUID tenantId) {
        return new SecretBinding("tenant_sso.client_secret", tenantId, tenantId.toString());
    }

    @PreAuthorize(EDITORS)
    @Transactional(readOnly = true)
    public Optional<SsoConfiguration> find(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return store.find(tenantId).map(row -> view(row, store.breakGlassEmail(tenantId)));
    }

    @PreAuthorize(EDITORS)
    @Transactional
    public SsoConfiguration update(UUID tenantId, SsoSettings settings) {
        currentUser.requireWritableTenant(tenantId);
        Optional<TenantSsoStore.Row> existing = store.find(tenantId);
        String issuer = issuers.check(required("issuer", settings.issuer(), 500));
        String clientId = required("clientId", settings.clientId(), 255);
        String secret = optional("clientSecret", settings.clientSecret(), 2000);
        if (secret == null && existing.isEmpty()) {
            throw new InvalidRequestException("clientSecret: required when single sign-on is first configured.");
        }
        List<String> domains = domains(settings.allowedDomains());
        String roleClaim = optional("roleClaim", settings.roleClaim(), 100);
        if (roleClaim != null && !CLAIM.matcher(roleClaim).matches()) {
            throw new InvalidRequestException("roleClaim: a claim name of letters, digits and _ : . / - only.");
        }
        List<String> adminValues = values("adminValues", settings.adminValues());
        List<String> auditorValues = values("auditorValues", settings.auditorValues());
        String defaultRole = optional("defaultRole", settings.defaultRole(), 20);
        if (defaultRole != null && !defaultRole.equals(AppRoles.TENANT_ADMIN) && !defaultRole.equals(AppRoles.AUDITOR)) {
            throw new InvalidRequestException("defaultRole: TENANT_ADMIN, AUDITOR, or empty to refuse whoever the "
                    + "role claim does not name.");
        }
        if (roleClaim == null && defaultRole == null) {
            throw new InvalidRequestException("defaultRole: without a role claim everyone gets the default role, "
                    + "so choose one.");
        }
        List<String> platformDomains = properties.platformOrNone().domains();
        List<String> staff = domains.stream().filter(platformDomains::contains).toList();
        if (!staff.isEmpty()) {
            throw new InvalidRequestException("allowedDomains: " + String.join(", ", staff)
                    + " is the domain of Plugboard's own staff.");
        }
        List<String> open = domains.stream().filter(PublicMailDomains.ALL::contains).toList();
        if (!open.isEmpty()) {
            throw new InvalidRequestException("allowedDomains: " + String.join(", ", open) + " is a public e-mail "
                    + "service anyone can sign up to; give your organisation's own domains.");
        }
        List<String> taken = TenantScope.platform("an e-mail domain signs in through one tenant's provider only",
                () -> store.domainsTakenByOthers(tenantId, domains));
        if (!taken.isEmpty()) {
            throw new InvalidRequestException("allowedDomains: " + String.join(", ", taken)
                    + " already signs in through another organisation's identity provider.");
        }
        // The sign-in page would send those users to this provider: a sign-in page the claimer controls.
        List<String> peopled = TenantScope.platform("a domain with another tenant's users is not this tenant's",
                () -> store.domainsWithUsersElsewhere(tenantId, domains));
        if (!peopled.isEmpty()) {
            throw new InvalidRequestException("allowedDomains: " + String.join(", ", peopled) + " has users of "
                    + "another organisation on Plugboard; ask Plugboard's operator if the domain is yours.");
        }
        // Last, as it reaches out to the provider: the discovery document must be there and name this issuer.
        issuers.discover(issuer);
        boolean required = Boolean.TRUE.equals(settings.required());
        byte[] sealed = secret == null ? existing.get().clientSecret() : vault.seal(binding(tenantId), secret);
        var row = new TenantSsoStore.Row(tenantId, issuer, clientId, sealed, domains, roleClaim, adminValues,
                auditorValues, defaultRole, required, clock.instant());
        store.save(row);
        registrations.forget(tenantId);
        // Passwords are refused from now on; sessions signed in with one must not outlive that.
        boolean becameRequired = required && existing.map(r -> !r.required()).orElse(true);
        int sessionsEnded = becameRequired ? accounts.endSessions(tenantId, store.breakGlass(tenantId)) : 0;
        audit.record(AuditRecord.of(existing.isEmpty() ? "tenant.sso.configured" : "tenant.sso.updated", tenantId)
                .target("tenant", tenantId).detail("issuer", issuer).detail("clientId", clientId)
                .detail("clientSecretChanged", secret != null).detail("allowedDomains", String.join(",", domains))
                .detail("roleClaim", roleClaim).detail("adminValues", String.join(",", adminValues))
                .detail("auditorValues", String.join(",", auditorValues)).detail("defaultRole", defaultRole)
                .detail("required", required).detail("sessionsEnded", sessionsEnded));
        return view(row, store.breakGlassEmail(tenantId));
    }

    @PreAuthorize(EDITORS)
    @Transactional
    public void remove(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        if (!store.delete(tenantId)) {
            throw new NotFoundException("Single sign-on configuration");
        }
        registrations.forget(tenantId);
        audit.record(AuditRecord.of("tenant.sso.removed", tenantId).target("tenant", tenantId));
    }

    /** Reads the issuer's discovery document and says what it found; changes nothing. */
    @PreAuthorize(EDITORS)
    public Discovery test(UUID tenantId, @Nullable String issuer) {
        currentUser.requireTenant(tenantId);
        return issuers.describe(required("issuer", issuer, 500));
    }

    /** Where the provider sends the browser back to; the provider must know it before anyone signs in. */
    public String redirectUri(UUID tenantId) {
        return publicUrl + "/login/oauth2/code/" + SsoClientRegistrations.idOf(tenantId);
    }

    private SsoConfiguration view(TenantSsoStore.Row row, @Nullable String breakGlass) {
        return new SsoConfiguration(redirectUri(row.tenantId()), row.issuer(), row.clientId(), row.clientSecret().length > 0,
                row.allowedDomains(), row.roleClaim(), row.adminValues(), row.auditorValues(), row.defaultRole(),
                row.required(), breakGlass, row.updatedAt());
    }

    private static List<String> domains(@Nullable List<String> given) {
        if (given == null || given.isEmpty()) {
            throw new InvalidRequestException("allowedDomains: name at least one e-mail domain, e.g. example.com.");
        }
        var out = new LinkedHashSet<String>();
        for (String d : given) {
            String domain = d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
            if (domain.startsWith("@")) {
                domain = domain.substring(1);
            }
            if (!DOMAIN.matcher(domain).matches()) {
                throw new InvalidRequestException("allowedDomains: '" + clip(d) + "' is not a domain name.");
            }
            out.add(domain);
        }
        if (out.size() > 50) {
            throw new InvalidRequestException("allowedDomains: at most 50 domains.");
        }
        return List.copyOf(out);
    }

    private static List<String> values(String field, @Nullable List<String> given) {
        var out = new ArrayList<String>();
        for (String v : given == null ? List.<String>of() : given) {
            String value = optional(field, v, 200);
            if (value != null && !out.contains(value)) {
                out.add(value);
            }
        }
        if (out.size() > 50) {
            throw new InvalidRequestException(field + ": at most 50 values.");
        }
        return out;
    }

    private static String required(String field, @Nullable String value, int max) {
        String v = optional(field, value, max);
        if (v == null) {
            throw new InvalidRequestException(field + ": required.");
        }
        return v;
    }

    private static @Nullable String optional(String field, @Nullable String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw new InvalidRequestException(field + ": at most " + max + " characters.");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field + ": control characters are not allowed.");
        }
        return v;
    }

    private static String clip(@Nullable String s) {
        String v = s == null ? "" : s.replaceAll("\\p{Cntrl}", "");
        return v.length() > 60 ? v.substring(0, 60) + "…" : v;
    }
}
