package io.plugboard.security;

import com.vaadin.flow.server.VaadinService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Every request of a signed-in portal session — page loads, Vaadin's UIDL round trips (button clicks), uploads,
 * downloads, heartbeats — first asks whether the user may still act, by the rules of sign-in. If not, nothing of the
 * request runs: the session is invalidated, the refusal audited once, and the browser sent to the sign-in page,
 * which says why. Navigation alone is not enough: a page already open keeps its buttons.
 */
final class PortalAccessFilter extends OncePerRequestFilter {

    static final String REFUSED = PortalAccessFilter.class.getName() + ".refused";

    private final PortalAccessCheck access;
    private final PortalSessions sessions;

    PortalAccessFilter(PortalAccessCheck access, PortalSessions sessions) {
        this.access = access;
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Looked up on every request: Vaadin replaces the holder's strategy after the filter chain is built.
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof PortalPrincipal principal)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<AccessRefusal> refusal = access.refusal(principal).or(() -> sessionRefusal(request, principal));
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        refuse(request, response, principal, refusal.get());
    }

    /**
     * The session's own row: registered on its first signed-in request (whichever way it signed in), then checked on
     * every one, so a session ended from another (on any instance) runs nothing more.
     */
    private Optional<AccessRefusal> sessionRefusal(HttpServletRequest request, PortalPrincipal principal) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        Object id;
        synchronized (WebUtils.getSessionMutex(session)) {
            id = session.getAttribute(PortalSessions.ATTRIBUTE);
            if (id == null) {
                String agent = request.getHeader("User-Agent");
                session.setAttribute(PortalSessions.ATTRIBUTE, sessions.started(principal,
                        agent == null ? "" : agent, request.getRemoteAddr()));
                return Optional.empty();
            }
        }
        return id instanceof java.util.UUID sessionId && sessions.ended(principal, sessionId)
                ? Optional.of(AccessRefusal.SESSION_ENDED) : Optional.empty();
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, PortalPrincipal principal,
                        AccessRefusal why) throws IOException {
        String type = vaadinRequestType(request);
        HttpSession session = request.getSession(false);
        if (session != null) {
            boolean first;
            // Two round trips of one session can be in flight at once; the refusal is audited once.
            synchronized (WebUtils.getSessionMutex(session)) {
                first = session.getAttribute(REFUSED) == null;
                if (first) {
                    session.setAttribute(REFUSED, why.code());
                }
            }
            if (first) {
                access.refused(principal, why, request.getMethod() + " " + request.getRequestURI()
                        + (type == null ? "" : " (" + type + ")"));
            }
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // the other round trip got there first
            }
        }
        SecurityContextHolder.clearContext();

        String signIn = request.getContextPath() + "/login?reason=" + why.code();
        response.setHeader("Cache-Control", "no-store");
        if ("uidl".equals(type)) {
            // The Vaadin client follows an error without caption, message or details straight to its URL.
            response.setContentType("application/json; charset=UTF-8");
            response.getOutputStream().write(VaadinService.createCriticalNotificationJSON(null, null, null, signIn)
                    .getBytes(StandardCharsets.UTF_8));
        } else if (type == null && "GET".equals(request.getMethod())) {
            response.sendRedirect(signIn);
        } else {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Signed out: " + why.code());
        }
    }

    /**
     * Vaadin's request type ({@code v-r}) from the query string only: reading a parameter through the request
     * would consume the body of a form or an upload.
     */
    static @Nullable String vaadinRequestType(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("v-r=")) {
                return pair.substring(4);
            }
        }
        return null;
    }
}
