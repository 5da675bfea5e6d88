package io.plugboard.api;

import io.plugboard.common.NotFoundException;
import io.plugboard.sso.Discovery;
import io.plugboard.sso.SingleSignOn;
import io.plugboard.sso.SsoConfiguration;
import io.plugboard.sso.SsoSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's OpenID Connect identity provider for portal sign-in (docs/security.md, "Single sign-on"), for a
 * tenant-wide token. The client secret is write-only: answers say only whether one is stored.
 */
@RestController
@Tag(name = "Single sign-on", description = "The OpenID Connect identity provider the tenant's portal users sign in with")
class SsoApi {

    static final String PATH = "/api/v1/sso";

    private final SingleSignOn sso;
    private final ApiTenant tenant;

    SsoApi(SingleSignOn sso, ApiTenant tenant) {
        this.sso = sso;
        this.tenant = tenant;
    }

    @GetMapping(PATH)
    @Operation(summary = "The identity provider; 404 when none is configured")
    SsoConfiguration get() {
        return sso.find(tenant.id()).orElseThrow(() -> new NotFoundException("Single sign-on configuration"));
    }

    @PutMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Configure or replace the identity provider",
            description = "The issuer's discovery document is read before anything is stored; an issuer that is not "
                    + "https, cannot be reached or names another issuer answers 400. clientSecret is required the "
                    + "first time; left out later, the stored one stays.")
    SsoConfiguration put(@RequestBody SsoSettings settings) {
        return sso.update(tenant.id(), settings);
    }

    @DeleteMapping(PATH)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove the identity provider; users sign in with passwords again")
    void delete() {
        sso.remove(tenant.id());
    }

    @PostMapping(path = PATH + "/test", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read an issuer's discovery document and say what it found; stores nothing")
    Discovery test(@RequestBody IssuerToTest body) {
        return sso.test(tenant.id(), body.issuer());
    }

    record IssuerToTest(@Nullable String issuer) {
    }
}
