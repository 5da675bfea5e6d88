package io.plugboard.brand;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.common.PageLanguages;
import io.plugboard.security.CurrentUser;
import io.plugboard.security.TenantScope;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes a tenant's brand; every change is audited. */
@Service
public class Branding {

    static final String EDITORS = "hasAnyRole('TENANT_ADMIN', 'API_TENANT')";
    static final int CHOOSER_TEXT_MAX = 500;
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,63}");

    private final TenantBrandRepository brands;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    Branding(TenantBrandRepository brands, AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.brands = brands;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    /** For the signed-in admin or an API client: the scope follows from the request. */
    @PreAuthorize(EDITORS)
    @Transactional(readOnly = true)
    public Brand of(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return brands.findById(tenantId).map(TenantBrand::view).orElse(Brand.DEFAULT);
    }

    /** For the connect page, before anyone is signed in, once the link has told which tenant it belongs to. */
    public Brand forConnectPage(UUID tenantId) {
        return TenantScope.tenant(tenantId, () -> brands.findById(tenantId).map(TenantBrand::view)
                .orElse(Brand.DEFAULT));
    }

    /** A logo by the id its URL carries: public, as the connect pages that show it are. */
    public Optional<Logo> logo(UUID logoId) {
        return TenantScope.platform("a connect page's logo is served by its id before its tenant is known",
                () -> brands.findByLogoId(logoId).map(TenantBrand::logo));
    }

    /** The tenant's own logo, for its admins and API clients. */
    @PreAuthorize(EDITORS)
    @Transactional(readOnly = true)
    public Logo ownLogo(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return brands.findById(tenantId).map(TenantBrand::logo)
                .orElseThrow(() -> new NotFoundException("Logo"));
    }

    @PreAuthorize(EDITORS)
    @Transactional
    public Brand update(UUID tenantId, BrandSettings settings) {
        currentUser.requireWritableTenant(tenantId);
        Brand checked = check(settings);
        TenantBrand brand = brands.findById(tenantId).orElseGet(() -> new TenantBrand(tenantId, clock.instant()));
        brand.change(checked, clock.instant());
        brands.save(brand);
        audit.record(AuditRecord.of("tenant.brand.updated", tenantId).target("tenant", tenantId)
                .detail("displayName", checked.displayName())
                .detail("primaryColor", checked.primaryColor())
                .detail("supportEmail", checked.supportEmail())
                .detail("supportUrl", checked.supportUrl())
                .detail("chooserText", checked.chooserText() != null)
                .detail("chooserTextLanguages", String.join(",", new TreeSet<>(checked.chooserTexts().keySet())))
                .detail("poweredBy", checked.poweredBy()));
        return brand.view();
    }

    /** Checks the bytes (type, size, pixels), sanitises an SVG and stores the result under a new id. */
    @PreAuthorize(EDITORS)
    @Transactional
    public Brand uploadLogo(UUID tenantId, byte[] bytes) {
        currentUser.requireWritableTenant(tenantId);
        LogoFormat format = LogoFormat.sniff(bytes);
        byte[] stored = format == LogoFormat.SVG ? SvgSanitizer.sanitize(bytes) : bytes;
        if (stored.length > LogoFormat.MAX_BYTES) {
            throw new InvalidRequestException("The logo is too large once sanitised; at most "
                    + (LogoFormat.MAX_BYTES / 1024) + " KB.");
        }
        TenantBrand brand = brands.findById(tenantId).orElseGet(() -> new TenantBrand(tenantId, clock.instant()));
        brand.logo(stored, format, clock.instant());
        brands.save(brand);
        audit.record(AuditRecord.of("tenant.brand.logo.uploaded", tenantId).target("tenant", tenantId)
                .detail("type", format.contentType()).detail("bytes", stored.length));
        return brand.view();
    }

    @PreAuthorize(EDITORS)
    @Transactional
    public Brand removeLogo(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        TenantBrand brand = brands.findById(tenantId).orElseThrow(() -> new NotFoundException("Logo"));
        brand.logo(null, null, clock.instant());
        audit.record(AuditRecord.of("tenant.brand.logo.removed", tenantId).target("tenant", tenantId));
        return brand.view();
    }

    /** The settings as they will be stored, or a refusal naming the field. */
    static Brand check(BrandSettings s) {
        String color = blankToNull(s.primaryColor());
        if (color != null) {
            String normalized = Contrast.normalize(color);
            if (normalized == null) {
                throw new InvalidRequestException("primaryColor: write it as #rrggbb, e.g. #1f3a8a.");
            }
            double ratio = Contrast.withWhite(normalized);
            if (ratio < Contrast.AA_NORMAL_TEXT) {
                throw new InvalidRequestException(String.format(Locale.ROOT, "primaryColor: white text on %s has a "
                        + "contrast of %.2f:1; buttons need at least 4.5:1 (WCAG AA). Choose a darker colour.",
                        normalized, ratio));
            }
            color = normalized;
        }
        String email = limited("supportEmail", s.supportEmail(), 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new InvalidRequestException("supportEmail: '" + email + "' is not an e-mail address.");
        }
        String url = limited("supportUrl", s.supportUrl(), 500);
        if (url != null && !isHttps(url)) {
            throw new InvalidRequestException("supportUrl: give an https:// address, e.g. https://help.example.com.");
        }
        return new Brand(limited("displayName", s.displayName(), 80), color, email, url,
                limited("chooserText", s.chooserText(), CHOOSER_TEXT_MAX), translations(s.chooserTexts()),
                s.poweredBy() == null || s.poweredBy(), null);
    }

    /** The chooser text's translations: only languages the connect page speaks; blank ones dropped. */
    private static Map<String, String> translations(@Nullable Map<String, String> given) {
        if (given == null) {
            return Map.of();
        }
        var kept = new TreeMap<String, String>();
        for (var entry : given.entrySet()) {
            String language = entry.getKey();
            if (!PageLanguages.ALL.contains(language)) {
                throw new InvalidRequestException("chooserTexts: its keys are the connect page's languages, "
                        + String.join(", ", PageLanguages.ALL) + " (the language alone, in lower case).");
            }
            String text = limited("chooserTexts." + language, entry.getValue(), CHOOSER_TEXT_MAX);
            if (text != null) {
                kept.put(language, text);
            }
        }
        return kept;
    }

    private static boolean isHttps(String url) {
        try {
            URI uri = URI.create(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static @Nullable String limited(String field, @Nullable String value, int max) {
        String v = blankToNull(value);
        if (v != null && v.length() > max) {
            throw new InvalidRequestException(field + ": at most " + max + " characters.");
        }
        // PostgreSQL text holds no NUL, and no other control character belongs on a page either.
        if (v != null && v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw new InvalidRequestException(field + ": control characters are not allowed.");
        }
        return v;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
