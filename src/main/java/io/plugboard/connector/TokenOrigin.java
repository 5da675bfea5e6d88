package io.plugboard.connector;

import io.plugboard.common.InvalidRequestException;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where an account's token requests go when the provider's authorization redirect names its data centre's
 * accounts server (Zoho's {@code accounts-server}): an origin on one of the connector's {@code oauth.tokenHosts},
 * never an arbitrary host, since the code exchange carries the code and the client secret. The origin is kept with
 * the credential (under the parameter's name) so its refreshes go there too.
 */
public final class TokenOrigin {

    private TokenOrigin() {
    }

    /**
     * The origin a redirect parameter or an imported credential gives, once checked: https (plain http only where
     * the connector's own token URL is http), no user info, path, query or fragment, and an exact listed host.
     */
    public static URI allowed(ConnectorDefinition connector, String value) {
        ConnectorDefinition.OAuth oauth = connector.oauth();
        String name = oauth == null ? null : oauth.tokenUrlFromCallback();
        if (name == null || oauth.tokenHosts() == null) {
            throw new InvalidRequestException(connector.name() + " does not move its token URL");
        }
        URI origin;
        try {
            origin = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name + ": is not a URL");
        }
        String ownScheme = URI.create(oauth.tokenUrl()).getScheme();
        boolean schemeOk = "https".equals(origin.getScheme())
                || ("http".equals(origin.getScheme()) && "http".equals(ownScheme));
        boolean bare = origin.getRawUserInfo() == null && origin.getRawQuery() == null && origin.getRawFragment() == null
                && (origin.getRawPath() == null || origin.getRawPath().isEmpty() || origin.getRawPath().equals("/"));
        String host = origin.getHost();
        if (!schemeOk || !bare || host == null
                || oauth.tokenHosts().stream().noneMatch(host::equalsIgnoreCase)) {
            throw new InvalidRequestException(connector.name() + " named a token server it does not allow ("
                    + (host == null ? value.strip() : host) + ").");
        }
        return URI.create(origin.getScheme() + "://" + origin.getRawAuthority());
    }

    /** The token endpoint settings for one credential: at the origin kept with it, else the connector's own. */
    public static ConnectorDefinition.OAuth of(ConnectorDefinition connector, Map<String, String> config) {
        ConnectorDefinition.OAuth oauth = connector.oauth();
        @Nullable String name = oauth.tokenUrlFromCallback();
        @Nullable String kept = name == null ? null : config.get(name);
        return kept == null ? oauth : oauth.atTokenOrigin(allowed(connector, kept));
    }
}
