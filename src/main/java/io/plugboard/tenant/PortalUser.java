package io.plugboard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.jspecify.annotations.Nullable;

/**
 * Changed from several places (enabling, role and name, password resets), each touching its own columns:
 * {@link DynamicUpdate} writes only the columns a change set, so a change committed after another one's read does
 * not write back the columns it read (a password reset must not enable again an account disabled meanwhile).
 */
@Entity
@Table(name = "portal_users")
@DynamicUpdate
class PortalUser {

    @Id
    private UUID id;
    @Column(name = "tenant_id")
    private @Nullable UUID tenantId;
    private String email;
    @Column(name = "display_name")
    private String displayName;
    private String role;
    @Column(name = "password_hash")
    private String passwordHash;
    private boolean enabled;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    /** Bumped by the database (changeset 016) whenever what decides sign-in changes; never written from here. */
    @Column(name = "access_epoch", insertable = false, updatable = false)
    private long accessEpoch;

    protected PortalUser() {
    }

    PortalUser(UUID id, @Nullable UUID tenantId, String email, String displayName, String role,
               String passwordHash, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.email = email;
        this.displayName = displayName;
        this.role = role;
        this.passwordHash = passwordHash;
        this.enabled = true;
        this.createdAt = now;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    @Nullable UUID tenantId() {
        return tenantId;
    }

    String email() {
        return email;
    }

    String displayName() {
        return displayName;
    }

    String role() {
        return role;
    }

    String passwordHash() {
        return passwordHash;
    }

    boolean enabled() {
        return enabled;
    }

    long accessEpoch() {
        return accessEpoch;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    void rename(String newDisplayName, Instant now) {
        this.displayName = newDisplayName;
        this.updatedAt = now;
    }

    void changeRole(String newRole, Instant now) {
        this.role = newRole;
        this.updatedAt = now;
    }

    void changePassword(String newHash, Instant now) {
        this.passwordHash = newHash;
        this.updatedAt = now;
    }

    void setEnabled(boolean value, Instant now) {
        this.enabled = value;
        this.updatedAt = now;
    }
}
