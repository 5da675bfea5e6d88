package io.plugboard.credential;

import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ClientCredentialsTokens;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.TokenRequestException;
import io.plugboard.security.CurrentUser;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A credential imported through the API. A client-credentials one given without tokens gets its first token here,
 * as the connect page gets it, before anything is stored: client credentials the provider refuses are refused
 * with its answer, instead of a credential that fails at its first call.
 */
@Service
public class CredentialImport {

    private final CredentialService credentials;
    private final TenantConnectors catalog;
    private final IntegrationService integrations;
    private final ClientCredentialsTokens clientCredentials;
    private final CurrentUser currentUser;

    CredentialImport(CredentialService credentials, TenantConnectors catalog, IntegrationService integrations,
                     ClientCredentialsTokens clientCredentials, CurrentUser currentUser) {
        this.credentials = credentials;
        this.catalog = catalog;
        this.integrations = integrations;
        this.clientCredentials = clientCredentials;
        this.currentUser = currentUser;
    }

    /**
     * Outside any transaction: no database connection waits on the provider. Whatever the credential service would
     * refuse (unknown or disabled connector, missing fields) it refuses before the provider is asked.
     *
     * @throws FirstTokenException the provider issued no token; nothing was stored
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_CLIENT')")
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public CredentialView importCredential(UUID tenantId, NewCredential request) {
        currentUser.requireWritableTenant(tenantId);
        ConnectorDefinition connector = request.appKey() == null ? null : catalog.find(tenantId, request.appKey())
                .map(CatalogEntry::definition).orElse(null);
        if (request.tokens() != null || connector == null
                || connector.authMode() != AuthMode.OAUTH2_CLIENT_CREDENTIALS
                || !integrations.enabled(tenantId, connector.appKey())) {
            return credentials.create(tenantId, request);
        }
        var split = ConnectionFields.validate(connector, request.fields());
        NewCredential.Tokens first;
        try {
            first = NewCredential.Tokens.issued(clientCredentials.issue(tenantId, connector,
                    split.config().get("clientId"), split.secret().get("clientSecret")));
        } catch (TokenRequestException e) {
            throw new FirstTokenException(connector.name(), e);
        }
        return credentials.create(tenantId, new NewCredential(request.appKey(), request.endUserId(),
                request.endUserEmail(), request.endUserName(), request.label(), request.fields(), request.metadata(),
                first));
    }
}
