package io.plugboard.connect;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The cookie that binds an authorization request to the browser that started it: without it, a provider URL
 * sent to someone else would connect their account to the sender's end user. One cookie per state, named
 * after a hash of the state, so sign-ins started in two tabs do not overwrite each other.
 * <ul>
 *   <li>{@code HttpOnly}, {@code Path=/} (the callback page's own requests go to the application's root), and
 *       it lives as long as the state.</li>
 *   <li>Over HTTPS {@code SameSite=None; Secure}, the connect page's own rule ({@link ConnectPageCookies}): a page
 *       framed by a tenant's site is a third-party context, where browsers store only such cookies; it then
 *       also reaches the callback, framed or in a top-level window. Never {@code Partitioned}: a partitioned
 *       cookie set in the frame would be keyed to the tenant's site and never reach a top-level callback.</li>
 *   <li>Over plain HTTP (local development) {@code SameSite=Lax}: the provider's redirect back is a top-level
 *       navigation, which carries it.</li>
 * </ul>
 */
public final class OAuthBindingCookie {

    private static final String PREFIX = "plugboard_oauth_";

    private OAuthBindingCookie() {
    }

    public static void set(HttpServletRequest request, HttpServletResponse response, OAuthStart start) {
        response.addHeader(HttpHeaders.SET_COOKIE, header(name(start.state()), start.browserKey(),
                ConnectFlow.STATE_LIFETIME, request.isSecure()));
    }

    /** The key this browser holds for the state, if any. */
    public static @Nullable String read(HttpServletRequest request, @Nullable String state) {
        if (state == null || request.getCookies() == null) {
            return null;
        }
        String name = name(state);
        for (Cookie cookie : request.getCookies()) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** The state is spent once its callback arrived; so is its cookie. */
    public static void clear(HttpServletRequest request, HttpServletResponse response, @Nullable String state) {
        if (read(request, state) != null) {
            response.addHeader(HttpHeaders.SET_COOKIE, header(name(state), "", Duration.ZERO, request.isSecure()));
        }
    }

    static String name(String state) {
        return PREFIX + Tokens.sha256(state).substring(0, 16);
    }

    static String header(String name, String value, Duration maxAge, boolean secure) {
        return ResponseCookie.from(name, value).httpOnly(true).path("/").maxAge(maxAge)
                .secure(secure).sameSite(secure ? "None" : "Lax").build().toString();
    }
}
