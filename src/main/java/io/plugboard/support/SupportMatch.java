package io.plugboard.support;

import java.util.UUID;

/**
 * One answer of the support search: which tenant, and the one field that matched. Deliberately nothing else — no
 * end-user details beyond the matched field, no credential metadata, status or secret.
 *
 * @param matched the value that matched: the tenant's name or slug, the end user's id or e-mail, the credential id
 */
public record SupportMatch(UUID tenantId, String tenantName, String tenantSlug, boolean tenantActive, Kind kind,
                           String matched) {

    public enum Kind {
        TENANT_NAME("Tenant name"),
        TENANT_SLUG("Tenant slug"),
        END_USER_ID("End user id"),
        END_USER_EMAIL("End user e-mail"),
        CREDENTIAL_ID("Credential id");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
