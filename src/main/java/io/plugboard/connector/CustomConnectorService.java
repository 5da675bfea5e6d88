package io.plugboard.connector;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.common.TextInput;
import io.plugboard.security.AppRoles;
import io.plugboard.security.CurrentUser;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Tenant admins add connectors without code: the same definition format and validation as the files. */
@Service
public class CustomConnectorService {

    /** Longest text anywhere in a definition; the validator holds each field to its own, smaller limit. */
    private static final int MAX_TEXT = 100_000;

    private final CustomConnectorStore store;
    private final ConnectorCatalog catalog;
    private final ConnectorValidator validator;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final IntegrationService integrations;
    private final BoundCredentials bound;
    private final ConnectorSettingsService connectorSettings;

    CustomConnectorService(CustomConnectorStore store, ConnectorCatalog catalog, ConnectorProperties properties,
                           ObjectProvider<TrustedHttpOrigins> trustedHttp, AuditLog audit, CurrentUser currentUser,
                           IntegrationService integrations, BoundCredentials bound,
                           ConnectorSettingsService connectorSettings) {
        this.store = store;
        this.catalog = catalog;
        this.validator = new ConnectorValidator(properties.allowHttp(),
                trustedHttp.getIfAvailable(() -> TrustedHttpOrigins.NONE));
        this.audit = audit;
        this.currentUser = currentUser;
        this.integrations = integrations;
        this.bound = bound;
        this.connectorSettings = connectorSettings;
    }

    /** Parses a definition written as YAML (or JSON), naming the field of any problem. */
    public ConnectorDefinition parse(String yaml) {
        return read(ConnectorFiles.YAML_INPUT, yaml, "YAML");
    }

    /** Parses a definition sent as JSON (the API's default body), naming the field of any problem. */
    public ConnectorDefinition parseJson(String json) {
        return read(ConnectorFiles.JSON, json, "JSON");
    }

    /**
     * Every text in the definition, keys too, is first held to what PostgreSQL stores (no NUL, no unpaired
     * surrogate): it is kept as text, and named and described in the audit trail.
     */
    private static ConnectorDefinition read(ObjectMapper mapper, String text, String format) {
        try {
            checkText("definition", mapper.readTree(text));
            ConnectorDefinition definition = mapper.readValue(text, ConnectorDefinition.class);
            if (definition == null) {
                throw new InvalidRequestException("The definition is empty.");
            }
            return definition;
        } catch (JacksonException e) {
            throw new InvalidRequestException(ConnectorFiles.describe(e, format));
        }
    }

    private static void checkText(String at, @Nullable JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isString()) {
            TextInput.text(at, node.asString(), MAX_TEXT);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkText(at + "[" + i + "]", node.get(i));
            }
        } else if (node.isObject()) {
            for (var property : node.properties()) {
                TextInput.line(at, property.getKey(), TextInput.MAX_KEY);
                checkText(at.equals("definition") ? property.getKey() : at + "." + property.getKey(),
                        property.getValue());
            }
        }
    }

    public String toYaml(ConnectorDefinition definition) {
        return CustomConnectorStore.yaml(definition);
    }

    /** Saves a change that moves no secret anywhere: a new connector, or an edit that keeps the destination. */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public CatalogEntry save(UUID tenantId, ConnectorDefinition definition) {
        return save(tenantId, definition, null);
    }

    /** Adds a connector; a key the tenant already uses is refused, so nothing is replaced by accident. */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public CatalogEntry create(UUID tenantId, ConnectorDefinition definition) {
        currentUser.requireWritableTenant(tenantId);
        validate(definition);
        if (store.definition(tenantId, definition.appKey()).isPresent()) {
            throw new CustomConnectorExists(definition.appKey());
        }
        return save(tenantId, definition, null);
    }

    /** Replaces the tenant's connector {@code appKey}, under the rules of {@link #save(UUID, ConnectorDefinition, DestinationImpact)}. */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public CatalogEntry replace(UUID tenantId, String appKey, ConnectorDefinition definition,
                                @Nullable DestinationImpact confirmed) {
        currentUser.requireWritableTenant(tenantId);
        if (store.definition(tenantId, appKey).isEmpty()) {
            throw new NotFoundException("Custom connector");
        }
        if (!appKey.equals(definition.appKey())) {
            throw new InvalidRequestException("appKey: must stay " + appKey + "; a connector's key cannot change");
        }
        return save(tenantId, definition, confirmed);
    }

    /**
     * Deletes the tenant's connector with its integration (enabled, OAuth app, connector settings). Credentials still
     * holding secrets are marked NEEDS_RECONNECT, as after a destination change, so none is used again (not even if a
     * connector with the same key comes back) and their end users and webhooks are told; when there are any, it
     * needs {@code confirmed} naming as many credentials as it strands now. Not for customer success.
     */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public void delete(UUID tenantId, String appKey, @Nullable DestinationImpact confirmed) {
        currentUser.requireWritableTenant(tenantId);
        ConnectorDefinition existing = store.definition(tenantId, appKey)
                .orElseThrow(() -> new NotFoundException("Custom connector"));
        if (supportUser()) {
            throw new AccessDeniedException("Customer success cannot delete a tenant's connectors. Ask an admin of "
                    + "the tenant.");
        }
        var impact = new DestinationImpact(bound.count(tenantId, appKey), integrations.holdsClientSecret(tenantId,
                appKey), connectorSettings.holdsSecrets(tenantId, appKey));
        if (impact.credentials() > 0 && (confirmed == null || confirmed.credentials() != impact.credentials())) {
            throw new DestinationChangeUnconfirmed(impact, "Deleting " + existing.name() + " leaves "
                    + impact.credentials() + (impact.credentials() == 1 ? " credential" : " credentials")
                    + " unusable. Confirm the deletion to delete it.");
        }
        int stranded = bound.strand(tenantId, appKey);
        boolean settingsCleared = connectorSettings.forgetSecrets(tenantId, appKey);
        boolean integrationRemoved = integrations.forget(tenantId, appKey);
        store.delete(tenantId, appKey);
        audit.record(AuditRecord.of("connector.custom.deleted", tenantId).target("connector", appKey)
                .detail("name", existing.name()).detail("credentialsNeedingReconnect", stranded)
                .detail("oauthAppSecretCleared", impact.oauthAppSecret()).detail("secretSettingsCleared", settingsCleared)
                .detail("integrationRemoved", integrationRemoved));
    }

    /**
     * What saving this definition would strand: {@link DestinationImpact#NONE} for a new connector or an edit that
     * keeps the destination (names, labels, help texts, metadata fields).
     */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional(readOnly = true)
    public DestinationImpact impact(UUID tenantId, ConnectorDefinition definition) {
        currentUser.requireTenant(tenantId);
        // Where an invalid definition would send secrets is not defined; saving it is refused anyway.
        validate(definition);
        return store.definition(tenantId, definition.appKey())
                .filter(existing -> !Destination.of(existing).equals(Destination.of(definition)))
                .map(existing -> new DestinationImpact(bound.count(tenantId, definition.appKey()),
                        integrations.holdsClientSecret(tenantId, definition.appKey()),
                        connectorSettings.holdsSecrets(tenantId, definition.appKey())))
                .orElse(DestinationImpact.NONE);
    }

    /**
     * Saves the definition. A change of destination (see {@link Destination}) is for the tenant's own admins
     * only, never customer success, and when it strands secrets it needs {@code confirmed} equal to what it
     * strands now ({@link #impact}); it then marks those credentials NEEDS_RECONNECT and forgets the OAuth app's
     * client secret and the secret connector settings, in this transaction, so no stored secret is ever sent to the
     * new destination.
     */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public CatalogEntry save(UUID tenantId, ConnectorDefinition definition, @Nullable DestinationImpact confirmed) {
        currentUser.requireWritableTenant(tenantId);
        validate(definition);
        if (catalog.isGlobal(definition.appKey())) {
            throw new InvalidRequestException("appKey: " + definition.appKey()
                    + " is a catalog connector; choose another key for a custom connector");
        }
        var existing = store.definition(tenantId, definition.appKey());
        boolean moved = existing.isPresent() && !Destination.of(existing.get()).equals(Destination.of(definition));
        DestinationImpact impact = DestinationImpact.NONE;
        if (moved) {
            if (supportUser()) {
                // Customer success must never be able to route a tenant's secrets anywhere, changes enabled or not.
                throw new AccessDeniedException("Customer success cannot change where " + existing.get().name()
                        + " sends secrets (API and OAuth URLs, allowed hosts, how the secret is sent, the "
                        + "connection check). Ask an admin of the tenant.");
            }
            impact = new DestinationImpact(bound.count(tenantId, definition.appKey()),
                    integrations.holdsClientSecret(tenantId, definition.appKey()),
                    connectorSettings.holdsSecrets(tenantId, definition.appKey()));
            if (impact.strandsSecrets() && !impact.equals(confirmed)) {
                throw new DestinationChangeUnconfirmed(impact);
            }
        }
        boolean created = store.save(tenantId, definition);
        int stranded = moved ? bound.strand(tenantId, definition.appKey()) : 0;
        boolean secretCleared = moved && integrations.forgetClientSecret(tenantId, definition.appKey());
        boolean settingsCleared = moved && connectorSettings.forgetSecrets(tenantId, definition.appKey());
        var record = AuditRecord.of(created ? "connector.custom.created" : "connector.custom.updated", tenantId)
                .target("connector", definition.appKey()).detail("name", definition.name())
                .detail("authMode", definition.authMode().name()).detail("baseUrl", definition.api().baseUrl());
        if (moved) {
            record = record.detail("destinationChanged", true).detail("credentialsNeedingReconnect", stranded)
                    .detail("oauthAppSecretCleared", secretCleared).detail("secretSettingsCleared", settingsCleared);
        }
        audit.record(record);
        return new CatalogEntry(definition, ConnectorSource.CUSTOM);
    }

    private void validate(ConnectorDefinition definition) {
        var errors = validator.validate(definition, false);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", errors));
        }
    }

    /** Whether the signed-in user is customer success (in a support session). */
    public boolean supportUser() {
        return currentUser.principal().map(p -> AppRoles.SUPPORT.equals(p.role())).orElse(false);
    }
}
