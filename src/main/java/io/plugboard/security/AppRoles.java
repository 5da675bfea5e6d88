package io.plugboard.security;

/** The portal's roles, in one place. Spring authorities carry the {@code ROLE_} prefix. */
public final class AppRoles {

    /** Everything inside their own tenant. */
    public static final String TENANT_ADMIN = "TENANT_ADMIN";
    /** Read-only; scoped to one tenant or, without a tenant, platform-wide. */
    public static final String AUDITOR = "AUDITOR";
    /** Customer success: may open a tenant after choosing it with a typed reason. */
    public static final String SUPPORT = "SUPPORT";
    /** Creates tenants and platform staff; cannot read tenant secrets. */
    public static final String PLATFORM_ADMIN = "PLATFORM_ADMIN";

    /** A tenant backend calling the REST API with a JWT; never a portal user. */
    public static final String API_CLIENT = "API_CLIENT";
    /**
     * Also held by an API client whose token acts for the whole tenant (not one end user): the management API
     * (integrations, custom connectors, webhooks, audit) and whatever else a tenant admin may do.
     */
    public static final String API_TENANT = "API_TENANT";

    private AppRoles() {
    }

    public static String label(String role) {
        return switch (role) {
            case TENANT_ADMIN -> "Tenant admin";
            case AUDITOR -> "Auditor";
            case SUPPORT -> "Customer success";
            case PLATFORM_ADMIN -> "Platform admin";
            default -> role;
        };
    }
}
