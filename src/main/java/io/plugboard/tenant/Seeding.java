package io.plugboard.tenant;

import io.plugboard.audit.AuditActor;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First-start data: the demo tenant and staff (embedded mode by default), or the first platform admin
 * from the environment. Idempotent, and safe when several instances start at once (advisory lock).
 */
@Component
class Seeding implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Seeding.class);
    private static final long SEED_LOCK = 0x73656564L;
    static final String DEMO_SLUG = "demo";

    private final TenantProvisioning provisioning;
    private final TenantRepository tenants;
    private final PortalUserRepository users;
    private final Passwords passwords;
    private final DemoProperties demo;
    private final BootstrapProperties bootstrap;
    private final Environment environment;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    Seeding(TenantProvisioning provisioning, TenantRepository tenants, PortalUserRepository users, Passwords passwords,
            DemoProperties demo, BootstrapProperties bootstrap, Environment environment,
            TransactionTemplate transactions, JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.events = events;
        this.provisioning = provisioning;
        this.tenants = tenants;
        this.users = users;
        this.passwords = passwords;
        this.demo = demo;
        this.bootstrap = bootstrap;
        this.environment = environment;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        TenantScope.platform("start-up seeds the demo tenant and the first platform staff", this::seed);
    }

    private void seed() {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, SEED_LOCK);
            if (demoEnabled()) {
                seedDemo();
            }
            seedBootstrapAdmin();
        });
    }

    boolean demoEnabled() {
        return DemoModeCondition.enabled(demo.enabled(), environment);
    }

    private void seedDemo() {
        if (tenants.existsBySlug(DEMO_SLUG)) {
            return;
        }
        boolean passwordGiven = demo.password() != null && !demo.password().isBlank();
        String password = passwordGiven ? demo.password() : passwords.generate();
        CreatedTenant created = provisioning.createTenant(AuditActor.SYSTEM,
                new NewTenant(DEMO_SLUG, "Demo Realty", "admin@demo.local", "Demo Admin", password),
                demo.clientId(), demo.clientSecret());
        var tenantScope = UserScope.tenant(created.tenant().id());
        provisioning.createUser(AuditActor.SYSTEM, tenantScope,
                new NewUser("auditor@demo.local", "Demo Auditor", AppRoles.AUDITOR, password));
        provisioning.createUser(AuditActor.SYSTEM, UserScope.platform(),
                new NewUser("support@plugboard.local", "Customer Success", AppRoles.SUPPORT, password));
        provisioning.createUser(AuditActor.SYSTEM, UserScope.platform(),
                new NewUser("platform@plugboard.local", "Platform Admin", AppRoles.PLATFORM_ADMIN, password));
        // What the demo tenant is seeded with (connectors, credentials, sample calls) is its own data.
        TenantScope.tenant(created.tenant().id(), () -> events.publishEvent(new DemoTenantSeeded(
                created.tenant().id(), created.tenant().name(), created.tenant().clientId())));
        var banner = new StringBuilder()
                .append("\n\n==================== Plugboard demo ====================\n")
                .append(" Portal users: admin@demo.local, auditor@demo.local,\n")
                .append("               support@plugboard.local, platform@plugboard.local\n")
                .append(" Password:     ").append(passwordGiven ? "(PLUGBOARD_DEMO_PASSWORD)" : password).append('\n')
                .append(" API client ID:     ").append(created.tenant().clientId()).append('\n');
        boolean secretGiven = demo.clientSecret() != null && !demo.clientSecret().isBlank();
        banner.append(" API client secret: ")
                .append(secretGiven ? "(PLUGBOARD_DEMO_CLIENT_SECRET)" : created.clientSecret()).append('\n')
                .append(" These values are printed once; they are not shown again.\n")
                .append("========================================================\n");
        log.warn(banner.toString());
    }

    private void seedBootstrapAdmin() {
        BootstrapProperties.Admin admin = bootstrap.admin();
        if (admin == null || admin.email() == null || admin.email().isBlank() || users.count() > 0) {
            return;
        }
        if (admin.password() == null || admin.password().isBlank()) {
            throw new IllegalStateException("PLUGBOARD_BOOTSTRAP_ADMIN_PASSWORD must be set with PLUGBOARD_BOOTSTRAP_ADMIN_EMAIL");
        }
        provisioning.createUser(AuditActor.SYSTEM, UserScope.platform(),
                new NewUser(admin.email(), "Platform Admin", AppRoles.PLATFORM_ADMIN, admin.password()));
        log.info("Created the first platform admin {}", admin.email());
    }
}
