package io.plugboard.connect;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Sign-ins that a framed connect page started for a popup. Providers refuse to be framed, so the framed page opens
 * a popup from the end user's click, starts the sign-in ({@link ConnectFlow#beginOAuth}) and parks it here under a
 * one-time nonce; the popup's first URL names the nonce, and that top-level response sets the binding cookie
 * (first-party there, so the callback in the popup receives it) and sends the popup on to the provider.
 * <p>
 * Parked sign-ins live in the HTTP session of the browser whose page started them, for two minutes, and are taken
 * once. A leaked popup URL therefore starts nothing in another browser, and another site cannot make the end
 * user's browser start one: it would have to know the nonce, which only the framed page was told.
 */
@Component
public class SignInWindows {

    static final Duration LIFETIME = Duration.ofMinutes(2);
    /** More than anyone clicks in two minutes; a bound on what one session can hold. */
    static final int MAX_PARKED = 20;

    private static final String ATTRIBUTE = SignInWindows.class.getName();

    private final Clock clock;

    SignInWindows(Clock clock) {
        this.clock = clock;
    }

    /** Parks a started sign-in in this browser's session; the nonce goes into the popup's URL. */
    public String park(HttpSession session, OAuthStart start) {
        Instant now = clock.instant();
        Map<String, Parked> parked = parked(session);
        parked.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        if (parked.size() >= MAX_PARKED) {
            parked.clear();
        }
        String nonce = Tokens.random256();
        parked.put(Tokens.sha256(nonce), new Parked(start, now.plus(LIFETIME)));
        return nonce;
    }

    /** The sign-in parked under the nonce in this browser's session, once; nothing elsewhere or later. */
    public Optional<OAuthStart> take(@Nullable HttpSession session, @Nullable String nonce) {
        if (session == null || nonce == null || nonce.isBlank()) {
            return Optional.empty();
        }
        Parked parked = parked(session).remove(Tokens.sha256(nonce));
        return parked == null || !clock.instant().isBefore(parked.expiresAt()) ? Optional.empty()
                : Optional.of(parked.start());
    }

    private static Map<String, Parked> parked(HttpSession session) {
        synchronized (SignInWindows.class) {
            if (session.getAttribute(ATTRIBUTE) instanceof ParkedSignIns held) {
                return held.byNonceHash;
            }
            var created = new ParkedSignIns();
            session.setAttribute(ATTRIBUTE, created);
            return created.byNonceHash;
        }
    }

    /**
     * Deliberately not {@link java.io.Serializable}: the browser keys stay in memory and are never written out with
     * the session; after a restart the end user clicks again.
     */
    private static final class ParkedSignIns {
        final Map<String, Parked> byNonceHash = new ConcurrentHashMap<>();
    }

    private record Parked(OAuthStart start, Instant expiresAt) {
    }
}
