package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.common.InvalidRequestException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * Only a platform admin names a tenant's break-glass admin, only one of the tenant's own tenant admins can be
 * named, and every naming is audited.
 */
@PlugboardTest
class BreakGlassAdminIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    TenantService tenants;
    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void signOut() {
        SignedIn.out();
    }

    @Test
    void aPlatformAdminNamesOneOfTheTenantsOwnAdmins() {
        TestTenants.TestTenant tenant = TestTenants.create(context, "break-glass");
        TestTenants.TestTenant other = TestTenants.create(context, "break-glass-other");

        SignedIn.as(jdbc, tenant.adminEmail());
        assertThatThrownBy(() -> tenants.nameBreakGlassAdmin(tenant.id(), tenant.adminEmail()))
                .isInstanceOf(AccessDeniedException.class);

        SignedIn.as(jdbc, "platform@plugboard.local");
        assertThatThrownBy(() -> tenants.nameBreakGlassAdmin(tenant.id(), other.adminEmail()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tenant admin of this tenant");
        assertThatThrownBy(() -> tenants.nameBreakGlassAdmin(tenant.id(), "auditor@demo.local"))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(tenants.nameBreakGlassAdmin(tenant.id(), " " + tenant.adminEmail().toUpperCase() + " "))
                .isEqualTo(tenant.adminEmail());
        assertThat(tenants.breakGlassAdmin(tenant.id())).isEqualTo(tenant.adminEmail());
        assertThat(jdbc.queryForObject("SELECT sso_break_glass_user_id FROM tenants WHERE id = ?", UUID.class,
                tenant.id())).isNotNull();

        assertThat(tenants.nameBreakGlassAdmin(tenant.id(), "")).isNull();
        assertThat(tenants.breakGlassAdmin(tenant.id())).isNull();
        assertThat(jdbc.queryForList("SELECT details FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'tenant.sso.break_glass.named' ORDER BY seq", String.class, tenant.id()))
                .hasSize(2).first().asString().contains(tenant.adminEmail());
    }
}
