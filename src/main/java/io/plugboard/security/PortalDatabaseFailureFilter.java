package io.plugboard.security;

import com.vaadin.flow.server.VaadinService;
import io.plugboard.common.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * While the database is unreachable, a portal request that needs it (a sign-in, the access check of every signed-in
 * request, a page, a Vaadin round trip) is answered {@code 503} with a message saying so, instead of the container's error
 * page: a page load gets a short HTML page, a Vaadin round trip the client's own notification dialog. Failures in
 * a view's event handlers are Vaadin's to report (see {@code shell.DatabaseErrorHandler}).
 */
final class PortalDatabaseFailureFilter extends OncePerRequestFilter {

    static final String CAPTION = "Database unavailable";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!DatabaseUnavailable.causedBy(e) || response.isCommitted()) {
                throw e;
            }
            DatabaseUnavailable.LOG.warn("Portal requests answered 503, database unavailable", DatabaseUnavailable.reason(e));
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER.toSeconds()));
            response.setHeader("Cache-Control", "no-store");
            if ("uidl".equals(PortalAccessFilter.vaadinRequestType(request))) {
                // The Vaadin client shows this caption and message in its error dialog; a click reloads the page.
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType("application/json; charset=UTF-8");
                response.getOutputStream().write(VaadinService.createCriticalNotificationJSON(CAPTION,
                        DatabaseUnavailable.MESSAGE, null, null).getBytes(StandardCharsets.UTF_8));
                return;
            }
            response.setContentType("text/html; charset=UTF-8");
            response.getOutputStream().write(("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>" + CAPTION + " – Plugboard</title></head><body><h1>" + CAPTION + "</h1><p>"
                    + HtmlUtils.htmlEscape(DatabaseUnavailable.MESSAGE) + "</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
