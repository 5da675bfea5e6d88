package io.plugboard.audit;

import org.jspecify.annotations.Nullable;

/** Who did it: a portal user, a tenant's API client, the system itself, or an unauthenticated party. */
public record AuditActor(Type type, @Nullable String id, @Nullable String label) {

    public enum Type { USER, API_CLIENT, SYSTEM, ANONYMOUS }

    public static final AuditActor SYSTEM = new AuditActor(Type.SYSTEM, null, "system");

    public static AuditActor anonymous(String typedIdentity) {
        return new AuditActor(Type.ANONYMOUS, null, typedIdentity);
    }
}
