package io.plugboard.connector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The catalog shared by all tenants: built-in files, then the operator directory (same appKey replaces
 * the built-in). Loaded and validated at start-up; any invalid file stops the start with every problem
 * listed. {@link TenantConnectors} adds each tenant's custom connectors.
 */
@Component
public class ConnectorCatalog {

    private static final Logger log = LoggerFactory.getLogger(ConnectorCatalog.class);

    private final Map<String, CatalogEntry> global;

    ConnectorCatalog(ConnectorProperties properties) {
        var validator = new ConnectorValidator(properties.allowHttp());
        var errors = new ArrayList<String>();
        var merged = new LinkedHashMap<String, CatalogEntry>();
        for (var loaded : ConnectorFiles.builtIn(errors)) {
            if (add(loaded, validator, true, errors) && merged.putIfAbsent(loaded.definition().appKey(),
                    new CatalogEntry(loaded.definition(), ConnectorSource.BUILT_IN)) != null) {
                errors.add(loaded.file() + ": appKey: " + loaded.definition().appKey() + " is defined twice");
            }
        }
        if (properties.dir() != null) {
            var seen = new HashSet<String>();
            for (var loaded : ConnectorFiles.directory(properties.dir(), errors)) {
                if (!add(loaded, validator, false, errors)) {
                    continue;
                }
                String key = loaded.definition().appKey();
                if (!seen.add(key)) {
                    errors.add(loaded.file() + ": appKey: " + key + " is defined twice in the operator directory");
                    continue;
                }
                if (merged.containsKey(key)) {
                    log.info("Connector {} from {} replaces the built-in definition", key, loaded.file());
                }
                merged.put(key, new CatalogEntry(loaded.definition(), ConnectorSource.OPERATOR));
            }
        }
        if (!errors.isEmpty()) {
            // Logged here, before any bean that needs the catalog fails with it, so the problems are the first
            // error lines of a refused start.
            errors.forEach(error -> log.error("connectors: {}", error));
            throw new ConnectorCatalogException(errors);
        }
        this.global = Map.copyOf(merged);
        log.info("Connector catalog: {} connectors", global.size());
    }

    /** Validates one loaded file; returns true when it may join the catalog. */
    private static boolean add(ConnectorFiles.Loaded loaded, ConnectorValidator validator,
                               boolean docsRequired, List<String> errors) {
        var problems = validator.validate(loaded.definition(), docsRequired);
        problems.forEach(p -> errors.add(loaded.file() + ": " + p));
        return problems.isEmpty();
    }

    /** Built-in and operator connectors, by name. */
    public List<CatalogEntry> all() {
        var all = new ArrayList<>(global.values());
        all.sort(Comparator.comparing(e -> e.name().toLowerCase()));
        return all;
    }

    public Optional<CatalogEntry> find(String appKey) {
        return Optional.ofNullable(global.get(appKey));
    }

    public boolean isGlobal(String appKey) {
        return global.containsKey(appKey);
    }

    public int size() {
        return global.size();
    }
}
