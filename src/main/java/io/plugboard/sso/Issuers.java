package io.plugboard.sso;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.DestinationPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.stereotype.Component;

/**
 * Checks an issuer URL and reads its discovery document. An issuer must be {@code https://}; plain {@code http://}
 * only on a loopback address and only where the operator allows it ({@code plugboard.sso.allow-http-loopback}, for a
 * development provider on the same machine): the ID token and the client secret cross this connection. Anything else
 * goes through the same destination policy as provider URLs, so a tenant cannot point Plugboard at its internal
 * network.
 */
@Component
class Issuers {

    private final SsoProperties properties;
    private final DestinationPolicy destinations;

    Issuers(SsoProperties properties, DestinationPolicy destinations) {
        this.properties = properties;
        this.destinations = destinations;
    }

    /** The issuer as it will be stored (no trailing slash), or a 400 naming what is wrong. */
    String check(String issuer) {
        URI uri;
        try {
            uri = URI.create(issuer.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("issuer: '" + issuer.strip() + "' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null
                || uri.getFragment() != null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InvalidRequestException("issuer: give the identity provider's issuer as an https:// URL without "
                    + "query or fragment, e.g. https://login.example.com/realms/acme.");
        }
        boolean loopback = loopback(uri.getHost());
        if (scheme.equals("http") && !(loopback && properties.allowHttpLoopback())) {
            throw new InvalidRequestException("issuer: must be an https:// URL (plain http is accepted only for a "
                    + "development provider on this machine, when the operator allows it).");
        }
        if (!(loopback && properties.allowHttpLoopback())) {
            try {
                destinations.check(uri);
            } catch (DestinationPolicy.ForbiddenDestinationException e) {
                throw new InvalidRequestException("issuer: " + e.getMessage());
            }
        }
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Reads {@code issuer}'s discovery document; a 400 that says what failed when it cannot. */
    ClientRegistration.Builder discover(String issuer) {
        String checked = check(issuer);
        try {
            return ClientRegistrations.fromIssuerLocation(checked);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("issuer: no OpenID Connect discovery document could be read at "
                    + checked + "/.well-known/openid-configuration (" + reason(e) + ").");
        }
    }

    Discovery describe(String issuer) {
        var registration = discover(issuer).registrationId("test").clientId("test").build();
        var provider = registration.getProviderDetails();
        return new Discovery(provider.getIssuerUri(), provider.getAuthorizationUri(), provider.getTokenUri(),
                provider.getJwkSetUri(), provider.getUserInfoEndpoint().getUri());
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // The answer of a foreign server is not repeated at length, and never with its control characters.
        message = message.replaceAll("\\p{Cntrl}", " ");
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Literal addresses only: a name that resolves to loopback today may not tomorrow.
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
