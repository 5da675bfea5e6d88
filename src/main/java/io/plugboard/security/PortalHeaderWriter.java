package io.plugboard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.web.header.HeaderWriter;

/**
 * Content-Security-Policy, framing and referrer headers. Portal pages: never framed, referrer sent to
 * the same origin only. Embeddable pages (a connect link carries a secret token in its path): framed
 * only by the tenant's allowed origins, and no referrer at all.
 */
class PortalHeaderWriter implements HeaderWriter {

    /** Vaadin needs inline styles and its bootstrap scripts; everything else is same-origin. */
    static final String BASE_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'";

    /** Tenants' logos (io.plugboard.brand) carry their own, stricter policy: a page's would only loosen it. */
    private static final String LOGOS = "/brand-logos/";

    private final List<FrameAncestors> embeddable;

    PortalHeaderWriter(List<FrameAncestors> embeddable) {
        this.embeddable = embeddable;
    }

    @Override
    public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
        if (request.getRequestURI().startsWith(request.getContextPath() + LOGOS)) {
            return;
        }
        for (FrameAncestors policy : embeddable) {
            if (policy.embeddable(request)) {
                List<String> origins = policy.allowedFor(request);
                response.setHeader("Content-Security-Policy", BASE_CSP + "; frame-ancestors "
                        + (origins.isEmpty() ? "'self'" : "'self' " + String.join(" ", origins)));
                if (origins.isEmpty()) {
                    response.setHeader("X-Frame-Options", "SAMEORIGIN");
                }
                response.setHeader("Referrer-Policy", "no-referrer");
                return;
            }
        }
        response.setHeader("Content-Security-Policy", BASE_CSP + "; frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    }
}
