package io.plugboard.connect;

import io.plugboard.security.FrameAncestors;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.AllowedOrigins;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** A connect link's page may be framed by its tenant's allowed origins, and by no one else. */
@Component
class ConnectEmbedding implements FrameAncestors {

    private static final Pattern CONNECT_LINK = Pattern.compile("^/connect/([A-Za-z0-9_-]{20,100})/?$");

    private final ConnectSessionStore store;
    private final AllowedOrigins origins;

    ConnectEmbedding(ConnectSessionStore store, AllowedOrigins origins) {
        this.store = store;
        this.origins = origins;
    }

    @Override
    public boolean embeddable(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/connect") || CONNECT_LINK.matcher(path).matches();
    }

    @Override
    public List<String> allowedFor(HttpServletRequest request) {
        Matcher m = CONNECT_LINK.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!m.matches()) {
            return List.of();
        }
        return TenantScope.platform("a connect link is looked up by its token before its tenant is known",
                () -> store.findByTokenHash(Tokens.sha256(m.group(1))).map(session -> origins.of(session.tenantId())))
                .orElse(List.of());
    }
}
