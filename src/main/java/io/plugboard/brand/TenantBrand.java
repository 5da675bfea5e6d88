package io.plugboard.brand;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    /** The chooser text by language; every page that shows the brand shows this text, so it is read with it. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "tenant_brand_texts", joinColumns = @JoinColumn(name = "tenant_id"))
    @MapKeyColumn(name = "language")
    @Column(name = "chooser_text")
    private Map<String, String> chooserTexts = new HashMap<>();
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
        return new Brand(displayName, primaryColor, supportEmail, supportUrl, chooserText, chooserTexts, poweredBy,
                logoId == null ? null : BrandLogoController.PREFIX + logoId);
    }

    void change(Brand settings, Instant now) {
        this.displayName = settings.displayName();
        this.primaryColor = settings.primaryColor();
        this.supportEmail = settings.supportEmail();
        this.supportUrl = settings.supportUrl();
        this.chooserText = settings.chooserText();
        this.chooserTexts.clear();
        this.chooserTexts.putAll(settings.chooserTexts());
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
