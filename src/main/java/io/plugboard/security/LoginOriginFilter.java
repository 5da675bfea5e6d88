package io.plugboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The sign-in form may be posted only from the portal's own pages. Besides the CSRF token (which the form sends from
 * the page's meta tags), a browser names the page that posts a form in {@code Origin} (or at least {@code Referer});
 * one from another site is refused before any credentials are checked, so a foreign page cannot sign a visitor into
 * an account of its choosing.
 */
final class LoginOriginFilter extends OncePerRequestFilter {

    private final String loginPath;
    private final Set<String> configuredOrigins;

    LoginOriginFilter(String loginPath, Set<String> configuredOrigins) {
        this.loginPath = loginPath;
        this.configuredOrigins = configuredOrigins;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !request.getRequestURI().equals(request.getContextPath() + loginPath);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String claimed = request.getHeader("Origin");
        if (claimed == null || claimed.isBlank()) {
            String referer = request.getHeader("Referer");
            claimed = referer == null ? null : originOf(referer);
        }
        if (claimed != null && !claimed.equalsIgnoreCase(ownOrigin(request)) && !configuredOrigins.contains(
                claimed.toLowerCase(Locale.ROOT))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Sign-in from another site refused");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Scheme, host and non-default port as this request reached the server (after forwarded headers). */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** {@code scheme://host[:port]} of a URL; "null" (an opaque origin) for anything unparsable. */
    static String originOf(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "null";
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "null";
        }
    }

    static @Nullable String configuredOrigin(String publicUrl) {
        String origin = originOf(publicUrl);
        return origin.equals("null") ? null : origin;
    }
}
