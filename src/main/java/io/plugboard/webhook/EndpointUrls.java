package io.plugboard.webhook;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.ConnectorProperties;
import io.plugboard.connector.DestinationPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which URLs may receive webhooks: https, or plain http where the operator allows it for connectors; never a
 * private or loopback address unless the operator allows those for the proxy. Checked when an admin saves an
 * endpoint; {@link WebhookSender} checks again at every attempt and connects to the address it checked (a name can
 * resolve elsewhere later).
 */
@Component
class EndpointUrls {

    static final int MAX_LENGTH = 2000;

    private final boolean allowHttp;
    private final DestinationPolicy destinations;

    @Autowired
    EndpointUrls(ConnectorProperties connectors, DestinationPolicy destinations) {
        this(connectors.allowHttp(), destinations);
    }

    EndpointUrls(boolean allowHttp, DestinationPolicy destinations) {
        this.allowHttp = allowHttp;
        this.destinations = destinations;
    }

    /** The URL as it will be called, or a message the admin can act on. */
    URI validate(@Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("URL: is required");
        }
        String url = value.strip();
        if (url.length() > MAX_LENGTH) {
            throw new InvalidRequestException("URL: must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("URL: '" + url + "' is not a valid URL (spaces and some characters "
                    + "must be percent-encoded)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InvalidRequestException("URL: write it in full, e.g. https://api.example.com/plugboard/webhooks");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw new InvalidRequestException("URL: use https://; this Plugboard does not send webhooks over plain http");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException("URL: must not contain a user name or password; receivers check the "
                    + "Plugboard-Signature header instead");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidRequestException("URL: must not contain a #fragment");
        }
        allowedDestination(uri);
        return uri;
    }

    /** Refuses private, loopback and link-local targets unless the operator allows them. */
    private void allowedDestination(URI uri) {
        try {
            destinations.check(uri);
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            throw new InvalidRequestException("URL: " + uri.getHost() + " is a private or loopback address, which "
                    + "this Plugboard does not send webhooks to");
        }
    }
}
