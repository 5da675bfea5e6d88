package io.plugboard.connector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private final Map<String, Set<String>> formerDestinations;

    ConnectorCatalog(ConnectorProperties properties) {
        var validator = new ConnectorValidator(properties.allowHttp());
        var errors = new ArrayList<String>();
        var merged = new LinkedHashMap<String, CatalogEntry>();
        var moves = new HashMap<String, Set<String>>();
        for (var loaded : ConnectorFiles.builtIn(errors)) {
            if (add(loaded, validator, true, errors)) {
                if (merged.putIfAbsent(loaded.definition().appKey(),
                        new CatalogEntry(loaded.definition(), ConnectorSource.BUILT_IN)) != null) {
                    errors.add(loaded.file() + ": appKey: " + loaded.definition().appKey() + " is defined twice");
                }
                var former = formerDestinations(loaded, validator, errors);
                if (!former.isEmpty()) {
                    moves.put(loaded.definition().appKey(), former);
                }
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
                    // The operator's destination is not the built-in's: the built-in's moves say nothing of it.
                    moves.remove(key);
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
        this.formerDestinations = Map.copyOf(moves);
        log.info("Connector catalog: {} connectors", global.size());
    }

    /** Validates one loaded file; returns true when it may join the catalog. */
    private static boolean add(ConnectorFiles.Loaded loaded, ConnectorValidator validator,
                               boolean docsRequired, List<String> errors) {
        var problems = validator.validate(loaded.definition(), docsRequired);
        problems.forEach(p -> errors.add(loaded.file() + ": " + p));
        return problems.isEmpty();
    }

    /**
     * The fingerprints of a built-in file's former destinations ({@code movedFrom}), each checked: a valid
     * definition, and the same hosts as the current one. A move to another host is what the destination binding
     * exists to stop (decision 0006), so even a shipped file may not declare one.
     */
    static Set<String> formerDestinations(ConnectorFiles.Loaded loaded, ConnectorValidator validator,
                                          List<String> errors) {
        var current = loaded.definition();
        String now = Destination.of(current).fingerprint();
        var former = new TreeSet<String>();
        for (int i = 0; i < loaded.movedFrom().size(); i++) {
            String at = loaded.file() + ": " + ConnectorFiles.MOVED_FROM + "[" + i + "]";
            var before = loaded.movedFrom().get(i).applyTo(current);
            var problems = validator.validate(before, true);
            problems.forEach(p -> errors.add(at + ": " + p));
            if (!problems.isEmpty()) {
                continue;
            }
            if (!origin(before.api().baseUrl()).equals(origin(current.api().baseUrl()))) {
                errors.add(at + ": api.baseUrl: a former destination must have the current base URL's scheme, host "
                        + "and port (" + origin(current.api().baseUrl()) + "); a move to another host strands its "
                        + "credentials");
                continue;
            }
            if (!hosts(before).equals(hosts(current))) {
                errors.add(at + ": api.allowedHosts: a former destination must allow the same hosts as the current "
                        + "one " + hosts(current));
                continue;
            }
            String fingerprint = Destination.of(before).fingerprint();
            if (fingerprint.equals(now)) {
                errors.add(at + ": is the current destination: give what differs from it");
                continue;
            }
            former.add(fingerprint);
        }
        return former;
    }

    /** Scheme, host and port as written (placeholders included), lower case; the validator checked the form. */
    private static String origin(String baseUrl) {
        int start = baseUrl.indexOf("://");
        int end = baseUrl.indexOf('/', start + 3);
        return (end < 0 ? baseUrl : baseUrl.substring(0, end)).toLowerCase(Locale.ROOT);
    }

    private static Set<String> hosts(ConnectorDefinition d) {
        var hosts = new TreeSet<String>();
        if (d.api().allowedHosts() != null) {
            d.api().allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        }
        return hosts;
    }

    /**
     * Built-in connectors that moved, with the fingerprints of their former destinations; a built-in replaced by an
     * operator's file has none.
     */
    public Map<String, Set<String>> formerDestinations() {
        return formerDestinations;
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
