package io.plugboard.connector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.ConnectorDefinition.Setting;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.CurrentUser;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's settings for a connector beside its OAuth app ({@code tenantSettings} in the definition), and the fixed
 * headers they fill on the connector's calls. Secret settings are sealed together, for the connector's destination
 * as it was when they were entered (decision 0006): after a destination change they count as not set.
 *
 * <p>Every proxied call of such a connector needs the headers, so the opened settings are kept per tenant, connector
 * and destination for {@link #CACHE_TTL}; a change on this instance drops them when its transaction ends, another
 * instance sees it within the TTL.
 */
@Service
public class ConnectorSettingsService {

    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    static final int MAX_VALUE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConnectorSettingsStore store;
    private final TenantConnectors catalog;
    private final SecretVault vault;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final Cache<Key, Map<String, String>> opened = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL)
            .maximumSize(10_000).build();

    private record Key(UUID tenantId, String appKey, String destination) {
    }

    ConnectorSettingsService(ConnectorSettingsStore store, TenantConnectors catalog, SecretVault vault, AuditLog audit,
                             CurrentUser currentUser, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.vault = vault;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public ConnectorSettings settings(UUID tenantId, String appKey) {
        currentUser.requireTenant(tenantId);
        ConnectorDefinition connector = connector(tenantId, appKey);
        return store.find(tenantId, appKey).map(row -> view(tenantId, connector, row))
                .orElseGet(() -> new ConnectorSettings(appKey, Map.of(), Set.of(), null));
    }

    /** Saves what the admin entered; audited with the plain values and the names (never values) of new secrets. */
    @PreAuthorize(IntegrationService.EDITORS)
    @Transactional
    public ConnectorSettings update(UUID tenantId, String appKey, ConnectorSettingsUpdate update) {
        currentUser.requireWritableTenant(tenantId);
        ConnectorDefinition connector = connector(tenantId, appKey);
        Map<String, Setting> declared = connector.settingFields().stream()
                .collect(Collectors.toMap(Setting::key, Function.identity()));
        Map<String, String> plain = checked(declared, update.values(), false);
        Map<String, String> secret = checked(declared, update.newSecrets(), true);

        Instant now = clock.instant();
        var row = store.lock(tenantId, appKey, now);
        String destination = Destination.of(connector).fingerprint();
        var values = new TreeMap<>(row.values());
        plain.forEach((key, value) -> {
            if (value.isEmpty()) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        });
        var secrets = new TreeMap<>(opened(tenantId, row, destination));
        secret.forEach((key, value) -> {
            if (!value.isEmpty()) {
                secrets.put(key, value);
            }
        });
        List<String> secretsChanged = secret.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).sorted().toList();
        // Re-sealed for the destination of now; secrets sealed for an older one did not open and are dropped.
        byte[] sealed = secrets.isEmpty() ? null
                : vault.seal(binding(tenantId, row.id(), destination), JSON.writeValueAsString(secrets));
        store.write(tenantId, row.id(), values, sealed, sealed == null ? null : destination, now);
        forgetOnCompletion(tenantId, appKey);
        audit.record(AuditRecord.of("integration.settings_updated", tenantId).target("connector", appKey)
                .detail("values", new TreeMap<>(values)).detail("secretsChanged", String.join(" ", secretsChanged)));
        return view(tenantId, connector, store.find(tenantId, appKey).orElseThrow());
    }

    /** Whether the tenant holds secret settings for this connector that a destination change would strand. */
    boolean holdsSecrets(UUID tenantId, String appKey) {
        return store.find(tenantId, appKey).map(row -> row.secrets() != null).orElse(false);
    }

    /**
     * A confirmed destination change of a custom connector: the secret settings were entered for the old destination
     * (they no longer open) and must be entered again. Runs in the editor's transaction; whether any were stored.
     */
    boolean forgetSecrets(UUID tenantId, String appKey) {
        boolean cleared = store.clearSecrets(tenantId, appKey, clock.instant());
        if (cleared) {
            forgetOnCompletion(tenantId, appKey);
        }
        return cleared;
    }

    /**
     * Every fixed header of a call to {@code target}: the connector's own ({@code api.headers}, filled from the
     * credential's fields) and the tenant's ({@code tenantSettings}), under the same rules. For the proxy, the console
     * and the connection check, which run in the tenant's scope.
     *
     * @param credentialFields the credential's fields and settings, as its auth templates are filled from
     */
    public Map<String, String> headers(UUID tenantId, ConnectorDefinition connector,
                                       Map<String, String> credentialFields, URI target) {
        var own = connector.api().headerTemplates();
        Map<String, String> tenants = headers(tenantId, connector, target);
        if (own.isEmpty()) {
            return tenants;
        }
        Set<String> secretFields = connector.formFields().stream().filter(ConnectorDefinition.Field::isSecret)
                .map(ConnectorDefinition.Field::key).collect(Collectors.toSet());
        var headers = new LinkedHashMap<>(fill(own, credentialFields, secretFields, allowedHost(connector, target)));
        headers.putAll(tenants);
        return headers;
    }

    /**
     * The connector's fixed headers for a call to {@code target}, filled with the tenant's settings. A header is left
     * out when a setting it names is not set; one that carries a secret setting goes only to a host the connector
     * allows (its allowed hosts, else its base URL's host), like the credential's own secret. No security check:
     * for the proxy and the connection check, which run in the tenant's scope.
     */
    public Map<String, String> headers(UUID tenantId, ConnectorDefinition connector, URI target) {
        var templates = connector.tenantSettings() == null ? Map.<String, String>of()
                : connector.tenantSettings().headerTemplates();
        if (templates.isEmpty()) {
            return Map.of();
        }
        String destination = Destination.of(connector).fingerprint();
        Map<String, String> values = opened.get(new Key(tenantId, connector.appKey(), destination),
                key -> load(key, connector));
        Set<String> secretKeys = connector.settingFields().stream().filter(Setting::isSecret).map(Setting::key)
                .collect(Collectors.toSet());
        return fill(templates, values, secretKeys, allowedHost(connector, target));
    }

    /**
     * Fills fixed header templates: a header is left out when a value it names is not set, and one that carries a
     * secret goes only to a host the connector allows.
     */
    private static Map<String, String> fill(Map<String, String> templates, Map<String, String> values,
                                            Set<String> secretKeys, boolean allowedHost) {
        var headers = new LinkedHashMap<String, String>();
        templates.forEach((name, template) -> {
            List<String> names = ConnectorValidator.placeholdersOf(template);
            boolean complete = names.stream().allMatch(n -> values.get(n) != null && !values.get(n).isBlank());
            boolean carriesSecret = names.stream().anyMatch(secretKeys::contains);
            if (complete && (allowedHost || !carriesSecret)) {
                headers.put(name, SecretInjection.fill(template, values));
            }
        });
        return headers;
    }

    private Map<String, String> load(Key key, ConnectorDefinition connector) {
        var row = store.find(key.tenantId(), key.appKey()).orElse(null);
        if (row == null) {
            return Map.of();
        }
        var values = new HashMap<String, String>();
        for (Setting setting : connector.settingFields()) {
            String value = setting.isSecret() ? opened(key.tenantId(), row, key.destination()).get(setting.key())
                    : row.values().get(setting.key());
            if (value != null) {
                values.put(setting.key(), value);
            }
        }
        return Map.copyOf(values);
    }

    private ConnectorSettings view(UUID tenantId, ConnectorDefinition connector, ConnectorSettingsStore.Row row) {
        String destination = Destination.of(connector).fingerprint();
        var secrets = opened(tenantId, row, destination).keySet();
        var values = new TreeMap<String, String>();
        var stored = new TreeSet<String>();
        for (Setting setting : connector.settingFields()) {
            if (setting.isSecret() && secrets.contains(setting.key())) {
                stored.add(setting.key());
            } else if (!setting.isSecret() && row.values().containsKey(setting.key())) {
                values.put(setting.key(), row.values().get(setting.key()));
            }
        }
        return new ConnectorSettings(connector.appKey(), values, stored, row.updatedAt());
    }

    /** The stored secret settings if they were sealed for {@code destination}, else none. */
    private Map<String, String> opened(UUID tenantId, ConnectorSettingsStore.Row row, String destination) {
        if (row.secrets() == null || !destination.equals(row.destination())) {
            return Map.of();
        }
        try {
            return ConnectorSettingsStore.values(vault.open(binding(tenantId, row.id(), destination), row.secrets()));
        } catch (SecretUnreadableException e) {
            return Map.of();
        }
    }

    private static Map<String, String> checked(Map<String, Setting> declared, @Nullable Map<String, String> given,
                                               boolean secret) {
        var checked = new LinkedHashMap<String, String>();
        if (given == null) {
            return checked;
        }
        given.forEach((key, value) -> {
            Setting setting = declared.get(key);
            if (setting == null || setting.isSecret() != secret) {
                throw new InvalidRequestException(key + ": is not a " + (secret ? "secret " : "") + "setting of this "
                        + "connector");
            }
            String v = value == null ? "" : value.strip();
            if (v.length() > MAX_VALUE) {
                throw new InvalidRequestException(key + ": " + setting.label() + " must be at most " + MAX_VALUE
                        + " characters");
            }
            if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                // It becomes a header value: a line break would start another header.
                throw new InvalidRequestException(key + ": " + setting.label()
                        + " must not contain line breaks or control characters");
            }
            checked.put(key, v);
        });
        return checked;
    }

    private ConnectorDefinition connector(UUID tenantId, String appKey) {
        return catalog.find(tenantId, appKey).map(CatalogEntry::definition)
                .orElseThrow(() -> new NotFoundException("Connector"));
    }

    /** Where the connector may send its secrets: the same hosts the credential's base URL may point at. */
    private static boolean allowedHost(ConnectorDefinition connector, URI target) {
        String host = target.getHost();
        if (host == null) {
            return false;
        }
        var allowed = connector.api().allowedHosts();
        if (allowed != null && !allowed.isEmpty()) {
            return HostPatterns.matchesAny(allowed, host);
        }
        // Without allowed hosts the base URL's host has no placeholder (the validator requires them then), but its
        // path may have one, which is no URI character.
        String base = ConnectorValidator.PLACEHOLDER.matcher(connector.api().baseUrl()).replaceAll("p");
        return host.equalsIgnoreCase(URI.create(base).getHost());
    }

    private void forgetOnCompletion(UUID tenantId, String appKey) {
        Runnable forget = () -> opened.asMap().keySet()
                .removeIf(k -> k.tenantId().equals(tenantId) && k.appKey().equals(appKey));
        forget.run();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                forget.run();
            }
        });
    }

    static SecretBinding binding(UUID tenantId, UUID integrationId, @Nullable String destination) {
        return new SecretBinding("integration.secret_settings", tenantId, integrationId.toString(), destination);
    }
}
