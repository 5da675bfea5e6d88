package io.plugboard.universal;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.proxy.ProxyException;
import io.plugboard.security.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API console's Universal mode: runs one {@link ConsoleOperation} through {@link UniversalCrm} for one
 * credential at a time, exactly as the REST API would (call log source UNIVERSAL, the proxy's checks), and turns
 * every refusal into a result rather than an exception. The console's rules apply: tenant admins and customer
 * success with changes enabled run calls; auditors do not.
 */
@Service
public class UniversalConsole {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UniversalCrm crm;
    private final UniversalMappings mappings;
    private final TenantConnectors connectors;
    private final CredentialService credentials;
    private final AuditLog audit;
    private final CurrentUser currentUser;

    UniversalConsole(UniversalCrm crm, UniversalMappings mappings, TenantConnectors connectors,
                     CredentialService credentials, AuditLog audit, CurrentUser currentUser) {
        this.crm = crm;
        this.mappings = mappings;
        this.connectors = connectors;
        this.credentials = credentials;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    /** The tenant's connectors that the Universal CRM API maps, by name. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public List<CatalogEntry> crmConnectors(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return connectors.all(tenantId).stream().filter(c -> mappings.forConnector(c.appKey()).isPresent()).toList();
    }

    /**
     * The newest {@code perConnector} credentials of each mapped connector, matching {@code text} (id, label, end
     * user) when given: enough to pick from, and searching finds the rest.
     */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public List<CredentialView> crmCredentials(UUID tenantId, @Nullable String text, int perConnector) {
        var found = new ArrayList<CredentialView>();
        for (CatalogEntry connector : crmConnectors(tenantId)) {
            var filter = new CredentialFilter(connector.appKey(), null, null, null, null, null, null,
                    text == null || text.isBlank() ? null : text.strip());
            found.addAll(credentials.list(tenantId, filter, PageRequest.of(0, perConnector)));
        }
        return found;
    }

    /** Records the run once, before any call: who, which operation, which credentials. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public void auditRun(UUID tenantId, List<String> credentialIds, ConsoleOperation operation) {
        currentUser.requireWritableTenant(tenantId);
        audit.record(AuditRecord.of("console.universal.run", tenantId).target("console", "universal")
                .detail("operation", operation.name()).detail("credentials", String.join(" ", credentialIds))
                .detail("count", credentialIds.size()));
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public UniversalRun run(UUID tenantId, String credentialId, ConsoleOperation operation, ConsoleOperation.Call call) {
        // Even a read goes out to the provider with the credential: customer success must have enabled changes, as
        // for the console's other runs.
        currentUser.requireWritableTenant(tenantId);
        String actor = currentUser.principal().map(p -> p.email()).orElse("portal");
        long started = System.nanoTime();
        try {
            JsonNode answer = JSON.valueToTree(call.run(crm, new UniversalCrm.Caller(tenantId, credentialId, actor)));
            return new UniversalRun(credentialId, operation, operation.status(), millis(started), answer, null, null);
        } catch (UniversalException e) {
            String wait = e.retryAfterSeconds() == null ? "" : " (retry after " + e.retryAfterSeconds() + " s)";
            return refused(credentialId, operation, started, e.status(), e.getMessage() + wait, e.type());
        } catch (ProxyException e) {
            return refused(credentialId, operation, started, e.status(), e.getMessage(), e.type());
        } catch (InvalidRequestException e) {
            return refused(credentialId, operation, started, 400, e.getMessage(), "invalid-request");
        }
    }

    private static UniversalRun refused(String credentialId, ConsoleOperation operation, long started, int status,
                                        String message, String type) {
        return new UniversalRun(credentialId, operation, status, millis(started), null, message, type);
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
