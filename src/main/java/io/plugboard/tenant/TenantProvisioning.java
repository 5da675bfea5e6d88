package io.plugboard.tenant;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates tenants and users. Package-private on purpose: the authorized doors are
 * {@link TenantService} and {@link UserService}; the seeders use it with the system as actor.
 */
@Component
class TenantProvisioning {

    private final TenantRepository tenants;
    private final PortalUserRepository users;
    private final Passwords passwords;
    private final SecretVault vault;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<SignInDomains> signInDomains;

    TenantProvisioning(TenantRepository tenants, PortalUserRepository users, Passwords passwords, SecretVault vault,
                       AuditLog audit, Clock clock, ApplicationEventPublisher events,
                       ObjectProvider<SignInDomains> signInDomains) {
        this.signInDomains = signInDomains;
        this.tenants = tenants;
        this.users = users;
        this.passwords = passwords;
        this.vault = vault;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    CreatedTenant createTenant(AuditActor actor, NewTenant request, @Nullable String clientId,
                               @Nullable String clientSecret) {
        String slug = Validation.slug(request.slug());
        String name = Validation.name(request.name(), "Tenant name");
        if (tenants.existsBySlug(slug)) {
            throw new InvalidRequestException("A tenant with the slug '" + slug + "' already exists.");
        }
        String id = clientId == null || clientId.isBlank() ? ClientSecrets.newClientId() : clientId.strip();
        if (tenants.findByClientId(id).isPresent()) {
            throw new InvalidRequestException("That client ID is already in use.");
        }
        String secret = clientSecret == null || clientSecret.isBlank() ? ClientSecrets.newSecret() : clientSecret;
        if (secret.length() < ClientSecrets.MIN_SECRET_LENGTH) {
            throw new InvalidRequestException("A client secret must be at least "
                    + ClientSecrets.MIN_SECRET_LENGTH + " characters (HS512 needs a 512-bit key).");
        }
        var tenant = new Tenant(UUID.randomUUID(), slug, name, id, clock.instant());
        tenant.sealClientSecret(vault.seal(ClientSecrets.binding(tenant.id()), secret), clock.instant());
        tenants.saveAndFlush(tenant);
        audit.record(actor, AuditRecord.of("tenant.created", tenant.id()).target("tenant", tenant.id())
                .detail("slug", slug).detail("name", name));
        // Its client ID may have been refused as unknown a moment ago; verifiers forget that once this commits.
        events.publishEvent(new ApiClientKeyChanged(tenant.id()));
        CreatedUser admin = createUser(actor, UserScope.tenant(tenant.id()), new NewUser(request.adminEmail(),
                request.adminDisplayName(), AppRoles.TENANT_ADMIN, request.adminPassword()));
        return new CreatedTenant(TenantSummary.of(tenant), secret, admin.generatedPassword());
    }

    @Transactional
    CreatedUser createUser(AuditActor actor, UserScope scope, NewUser request) {
        String email = Validation.email(request.email());
        String displayName = Validation.name(request.displayName(), "Display name");
        String role = Validation.role(request.role(), scope);
        if (TenantScope.platform("e-mail addresses are unique across tenants", () -> users.existsByEmail(email))) {
            throw new InvalidRequestException("A user with the e-mail " + email + " already exists.");
        }
        SignInDomains domains = signInDomains.getIfAvailable();
        Optional<UUID> ssoTenant = domains == null ? Optional.empty() : domains.ssoTenantOf(email);
        if (ssoTenant.isPresent() && !ssoTenant.get().equals(scope.tenantId())) {
            throw new InvalidRequestException("The e-mail " + email + " signs in through another organisation's "
                    + "identity provider (its domain is theirs), so it cannot be a user here.");
        }
        String password = passwords.chooseOrGenerate(request.password());
        var user = new PortalUser(UUID.randomUUID(), scope.tenantId(), email, displayName, role,
                passwords.hash(password), clock.instant());
        users.saveAndFlush(user);
        audit.record(actor, AuditRecord.of("user.created", scope.tenantId()).target("user", user.id())
                .detail("email", email).detail("role", role));
        boolean generated = request.password() == null || request.password().isEmpty();
        return new CreatedUser(UserRow.of(user), generated ? password : null);
    }
}
