package io.plugboard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.core.context.DeferredSecurityContext;

/**
 * Spring Security's own repositories (request attribute, then HTTP session), with one rule added: a sign-in that
 * still owes its second factor ({@link PendingSignInToken}) is stored as a {@link PendingSignIn} beside the context,
 * and the context saved is empty. Until {@link #complete} the session is anonymous everywhere (a portal page sends
 * it to sign-in, Vaadin refuses every protected view, every service's role check fails), with nothing for a filter
 * or a view to remember to refuse.
 */
public final class PortalSecurityContextRepository implements SecurityContextRepository {

    private final SecurityContextRepository delegate = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
    private final PortalSessions sessions;

    PortalSecurityContextRepository(PortalSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return delegate.loadContext(holder);
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return delegate.loadDeferredContext(request);
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // Saved on a sign-in only: a session that signs in again (maybe as someone else) starts a new row of its own.
        HttpSession current = request.getSession(false);
        if (current != null && current.getAttribute(PortalSessions.ATTRIBUTE) instanceof java.util.UUID previous) {
            current.removeAttribute(PortalSessions.ATTRIBUTE);
            sessions.replaced(previous);
        }
        if (context.getAuthentication() instanceof PendingSignInToken token) {
            request.getSession().setAttribute(PendingSignIn.ATTRIBUTE, token.pending());
            delegate.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
            return;
        }
        HttpSession session = request.getSession(false);
        if (session != null && context.getAuthentication() != null) {
            session.removeAttribute(PendingSignIn.ATTRIBUTE);
        }
        delegate.saveContext(context, request, response);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return delegate.containsContext(request);
    }

    /**
     * The second factor was given: the session becomes signed in as the pending principal, under a new session id
     * (as after the password), and the pending sign-in is gone.
     */
    public void complete(PendingSignIn pending, HttpServletRequest request, HttpServletResponse response) {
        // Looked up now: Vaadin replaces the holder's strategy after the filter chain is built.
        SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
        PortalPrincipal principal = pending.principal();
        var authentication = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())));
        request.changeSessionId();
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authentication);
        contexts.setContext(context);
        request.getSession().removeAttribute(PendingSignIn.ATTRIBUTE);
        saveContext(context, request, response);
    }
}
