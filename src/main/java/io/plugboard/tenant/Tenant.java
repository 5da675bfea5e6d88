package io.plugboard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.jspecify.annotations.Nullable;

/**
 * Changed from several places (suspension, client-secret rotation, allowed origins, master-key re-sealing), each
 * touching its own columns: {@link DynamicUpdate} writes only the columns a change set, so a change committed
 * after another one's read does not write back the columns it read.
 */
@Entity
@Table(name = "tenants")
@DynamicUpdate
class Tenant {

    enum Status { ACTIVE, SUSPENDED }

    @Id
    private UUID id;
    private String slug;
    private String name;
    @Enumerated(EnumType.STRING)
    private Status status;
    @Column(name = "client_id")
    private String clientId;
    /** Sealed by the vault; HS512 verification needs the plaintext, so it cannot be a hash. */
    @Column(name = "client_secret")
    private byte[] clientSecret;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "suspended_at")
    private @Nullable Instant suspendedAt;
    @Column(name = "secret_rotated_at")
    private Instant secretRotatedAt;
    /** Space-separated origins that may embed the connect page and be redirected to. */
    @Column(name = "allowed_origins")
    private String allowedOrigins = "";

    protected Tenant() {
    }

    Tenant(UUID id, String slug, String name, String clientId, Instant now) {
        this.id = id;
        this.slug = slug;
        this.name = name;
        this.status = Status.ACTIVE;
        this.clientId = clientId;
        this.clientSecret = new byte[0];
        this.createdAt = now;
        this.secretRotatedAt = now;
    }

    UUID id() {
        return id;
    }

    String slug() {
        return slug;
    }

    String name() {
        return name;
    }

    Status status() {
        return status;
    }

    String clientId() {
        return clientId;
    }

    byte[] clientSecret() {
        return clientSecret;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable Instant suspendedAt() {
        return suspendedAt;
    }

    Instant secretRotatedAt() {
        return secretRotatedAt;
    }

    java.util.List<String> allowedOrigins() {
        return allowedOrigins == null || allowedOrigins.isBlank() ? java.util.List.of()
                : java.util.List.of(allowedOrigins.strip().split("\\s+"));
    }

    void allowOrigins(java.util.List<String> origins) {
        this.allowedOrigins = String.join(" ", origins);
    }

    boolean active() {
        return status == Status.ACTIVE;
    }

    void sealClientSecret(byte[] sealed, Instant now) {
        this.clientSecret = sealed;
        this.secretRotatedAt = now;
    }

    void suspend(Instant now) {
        this.status = Status.SUSPENDED;
        this.suspendedAt = now;
    }

    void reactivate() {
        this.status = Status.ACTIVE;
        this.suspendedAt = null;
    }
}
