package io.plugboard.tenant;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.CurrentUser;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The web origins a tenant trusts: they may embed the hosted connect page, receive its postMessage and
 * be the target of a connect session's redirect. Anything else is refused — never an open redirect.
 */
@Service
public class AllowedOrigins {

    private final TenantRepository tenants;
    private final AuditLog audit;
    private final CurrentUser currentUser;

    AllowedOrigins(TenantRepository tenants, AuditLog audit, CurrentUser currentUser) {
        this.tenants = tenants;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    /** Not secret: the connect page needs it before anyone is signed in. */
    @Transactional(readOnly = true)
    public List<String> of(UUID tenantId) {
        return tenants.findById(tenantId).map(Tenant::allowedOrigins).orElse(List.of());
    }

    /** Whether a URL's origin (scheme, host, port) is one of the tenant's. */
    @Transactional(readOnly = true)
    public boolean allows(UUID tenantId, String url) {
        String origin = originOf(url);
        return origin != null && of(tenantId).contains(origin);
    }

    @PreAuthorize("hasRole('TENANT_ADMIN')")
    @Transactional
    public List<String> update(UUID tenantId, List<String> origins) {
        currentUser.requireWritableTenant(tenantId);
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("Tenant"));
        var normalized = new LinkedHashSet<String>();
        for (String value : origins) {
            if (value == null || value.isBlank()) {
                continue;
            }
            String origin = originOf(value.strip());
            if (origin == null || !origin.equals(value.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT))) {
                throw new InvalidRequestException("'" + value.strip() + "' is not an origin; write it as "
                        + "https://app.example.com (scheme, host and optional port, no path).");
            }
            normalized.add(origin);
        }
        if (normalized.size() > 20) {
            throw new InvalidRequestException("At most 20 origins.");
        }
        var list = new ArrayList<>(normalized);
        tenant.allowOrigins(list);
        audit.record(AuditRecord.of("tenant.allowed_origins.updated", tenantId).target("tenant", tenantId)
                .detail("origins", String.join(" ", list)));
        return list;
    }

    /** {@code https://host[:port]} of an absolute http(s) URL; plain http only for localhost. */
    public static @Nullable String originOf(String url) {
        try {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
            boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
            if (host == null || uri.getUserInfo() != null || !(scheme.equals("https") || (scheme.equals("http") && local))) {
                return null;
            }
            return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
