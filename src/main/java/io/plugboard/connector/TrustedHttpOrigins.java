package io.plugboard.connector;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plain-http origins that tenant custom connectors may use although {@code plugboard.connectors.allow-http}
 * is off. Nothing contributes one outside demo mode; in demo mode the sandbox contributes Plugboard's own
 * public URL, where its provider stand-in runs. Each origin is {@code http://host[:port]}.
 */
public record TrustedHttpOrigins(Set<String> origins) {

    public static final TrustedHttpOrigins NONE = new TrustedHttpOrigins(Set.of());

    public TrustedHttpOrigins {
        origins = origins.stream().map(o -> origin(URI.create(o))).collect(Collectors.toUnmodifiableSet());
    }

    /** True for an http URL on one of the origins (scheme, host and port must all match). */
    public boolean trusts(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && origins.contains(origin(uri));
    }

    private static String origin(URI uri) {
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT)
                + ":" + port;
    }
}
