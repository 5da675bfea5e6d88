package io.plugboard.api;

import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.CurrentUser;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The tenant of the authenticated API request, resolved once from its JWT. */
@Component
class ApiTenant {

    private final CurrentUser currentUser;

    ApiTenant(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    UUID id() {
        return principal().tenantId();
    }

    ApiPrincipal principal() {
        return currentUser.apiClient().orElseThrow(() -> new IllegalStateException("not an API request"));
    }
}
