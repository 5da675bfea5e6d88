package io.plugboard.connector;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The one way a client-credentials credential gets a token: its own client ID and secret, with the scopes the
 * tenant set for the connector, else the connector's default scopes. The connect page, the API import, the token
 * refresh and the admin's configuration check all ask through here, so a token is requested alike everywhere.
 * Callers must not hold a transaction: the provider is asked while this runs.
 */
@Component
public class ClientCredentialsTokens {

    private final IntegrationStore store;
    private final TokenEndpoint tokenEndpoint;

    ClientCredentialsTokens(IntegrationStore store, TokenEndpoint tokenEndpoint) {
        this.store = store;
        this.tokenEndpoint = tokenEndpoint;
    }

    /**
     * @throws TokenRequestException the provider issued no token (its message is fit for the person who asked)
     */
    public TokenEndpoint.Tokens issue(UUID tenantId, ConnectorDefinition connector, String clientId,
                                      String clientSecret) {
        var oauth = connector.oauth();
        if (connector.authMode() != AuthMode.OAUTH2_CLIENT_CREDENTIALS || oauth == null) {
            throw new IllegalArgumentException(connector.appKey() + " does not use OAuth client credentials");
        }
        List<String> scopes = store.find(tenantId, connector.appKey()).map(IntegrationStore.Row::scopes)
                .filter(s -> !s.isEmpty()).orElse(oauth.scopes());
        return tokenEndpoint.clientCredentials(oauth, clientId, clientSecret, scopes);
    }
}
