package io.plugboard.tenant;

import java.util.UUID;

/** Published once, inside the seeding transaction, when the demo tenant is first created. */
public record DemoTenantSeeded(UUID tenantId, String tenantName, String clientId) {
}
