package io.plugboard.connect;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.util.regex.Pattern;
import org.apache.catalina.util.SessionConfig;
import org.apache.tomcat.util.http.CookieProcessor;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookies;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A connect page framed by a tenant's site is a third-party context: browsers send it only cookies marked
 * {@code SameSite=None; Secure}, so with the portal's {@code Lax} session cookie the framed page would lose its
 * session on the first click. Session cookies created by a connect page over HTTPS are therefore marked
 * {@code None}. Portal sign-in changes the session id and issues a {@code Lax} cookie again.
 */
@Component
class ConnectPageCookies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> context.setCookieProcessor(
                new FramedSessionCookies(context.getCookieProcessor(), SessionConfig.getSessionCookieName(context))));
    }

    static final class FramedSessionCookies implements CookieProcessor {

        private static final Pattern SAME_SITE = Pattern.compile("(?i);\\s*SameSite=[A-Za-z]+");

        private final CookieProcessor delegate;
        private final String sessionCookie;

        FramedSessionCookies(CookieProcessor delegate, String sessionCookie) {
            this.delegate = delegate;
            this.sessionCookie = sessionCookie;
        }

        @Override
        public String generateHeader(Cookie cookie, HttpServletRequest request) {
            String header = delegate.generateHeader(cookie, request);
            if (!cookie.getName().equals(sessionCookie) || !request.isSecure() || !fromConnectPage(request)) {
                return header;
            }
            String none = SAME_SITE.matcher(header).replaceAll("") + "; SameSite=None";
            return none.contains("; Secure") ? none : none + "; Secure";
        }

        private static boolean fromConnectPage(HttpServletRequest request) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return path.equals("/connect") || path.startsWith("/connect/");
        }

        @Override
        public void parseCookieHeader(MimeHeaders headers, ServerCookies serverCookies) {
            delegate.parseCookieHeader(headers, serverCookies);
        }

        @Override
        public Charset getCharset() {
            return delegate.getCharset();
        }
    }
}
