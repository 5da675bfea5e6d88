package io.plugboard.brand;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "tenant_brands")
class TenantBrand {

    @Id
    @Column(name = "tenant_id")
    private UUID tenantId;
    @Column(name = "display_name")
    private @Nullable String displayName;
    @Column(name = "primary_color")
    private @Nullable String primaryColor;
    @Column(name = "support_email")
    private @Nullable String supportEmail;
    @Column(name = "support_url")
    private @Nullable String supportUrl;
    @Column(name = "chooser_text")
    private @Nullable String chooserText;
    @Column(name = "powered_by")
    private boolean poweredBy = true;
    private byte @Nullable [] logo;
    @Column(name = "logo_type")
    private @Nullable String logoType;
    @Column(name = "logo_id")
    private @Nullable UUID logoId;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected TenantBrand() {
    }

    TenantBrand(UUID tenantId, Instant now) {
        this.tenantId = tenantId;
        this.updatedAt = now;
    }

    UUID tenantId() {
        return tenantId;
    }

    Brand view() {
        return new Brand(displayName, primaryColor, supportEmail, supportUrl, chooserText, poweredBy,
                logoId == null ? null : BrandLogoController.PREFIX + logoId);
    }

    void change(Brand settings, Instant now) {
        this.displayName = settings.displayName();
        this.primaryColor = settings.primaryColor();
        this.supportEmail = settings.supportEmail();
        this.supportUrl = settings.supportUrl();
        this.chooserText = settings.chooserText();
        this.poweredBy = settings.poweredBy();
        this.updatedAt = now;
    }

    void logo(byte @Nullable [] bytes, @Nullable LogoFormat format, Instant now) {
        this.logo = bytes;
        this.logoType = format == null ? null : format.contentType();
        this.logoId = bytes == null ? null : UUID.randomUUID();
        this.updatedAt = now;
    }

    @Nullable Logo logo() {
        return logo == null || logoType == null ? null : new Logo(logo, LogoFormat.ofContentType(logoType));
    }
}
