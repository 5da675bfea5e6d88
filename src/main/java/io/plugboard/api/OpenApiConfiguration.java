package io.plugboard.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Plugboard tenant API", version = "v1", description = """
                Connect your end users' third-party accounts and manage their credentials.
                Authenticate with a short-lived JWT signed HS512 with your client secret: iss = client ID,
                sub = an end-user id (the token then sees only that end user's data) or "tenant",
                iat and exp required, at most 60 minutes of lifetime (15 recommended)."""),
        security = @SecurityRequirement(name = OpenApiConfiguration.BEARER))
@SecurityScheme(name = OpenApiConfiguration.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT (HS512, signed with the tenant's client secret)")
class OpenApiConfiguration {

    static final String BEARER = "tenantJwt";
}
