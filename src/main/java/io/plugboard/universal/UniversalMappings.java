package io.plugboard.universal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The CRM mappings shipped beside the connector definitions ({@code connectors/universal/*.yaml}), read and
 * checked once at start-up: a broken mapping stops the application with every problem named, as a broken
 * connector file does.
 */
@Component
public class UniversalMappings {

    static final String LOCATION = "classpath*:connectors/universal/*.yaml";
    private static final Logger log = LoggerFactory.getLogger(UniversalMappings.class);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Map<String, CrmMapping> byAppKey;
    private final Map<String, String> connectorMappings;

    @Autowired
    UniversalMappings(@Value("${plugboard.universal.connector-mappings:}") String connectorMappings) {
        this(LOCATION, connectorMappings);
    }

    UniversalMappings(String location, String connectorMappings) {
        var errors = new ArrayList<String>();
        this.byAppKey = load(location, errors);
        this.connectorMappings = aliases(connectorMappings, errors);
        if (!errors.isEmpty()) {
            throw new UniversalMappingException(errors);
        }
        log.info("Universal CRM mappings: {}", byAppKey.keySet().stream().sorted().toList());
    }

    /** The mapping for a connector: its own, or the one the operator named for it. */
    Optional<CrmMapping> forConnector(String appKey) {
        CrmMapping own = byAppKey.get(appKey);
        if (own != null) {
            return Optional.of(own);
        }
        return Optional.ofNullable(connectorMappings.get(appKey)).map(byAppKey::get);
    }

    /** Whether the Universal CRM API can work through a credential of this connector. */
    public boolean maps(String appKey) {
        return forConnector(appKey).isPresent();
    }

    /**
     * The models (by section name: people, notes...) a CRM of this connector can list whole, in the model order, each
     * with whether its list can ask for the records updated since a time; empty for a connector without a mapping.
     * Sync to DB copies only these, and uses the filter where there is one.
     */
    public Map<String, Boolean> listable(String appKey) {
        var listable = new LinkedHashMap<String, Boolean>();
        forConnector(appKey).ifPresent(mapping -> {
            for (CrmMapping.Kind kind : CrmMapping.Kind.values()) {
                CrmMapping.Model model = mapping.model(kind);
                // A CRM listing these records only per person (Lofty's notes) cannot list them all.
                if (model != null && model.list() != null && lists(model.list(), Set.of())) {
                    listable.put(kind.section(), lists(model.list(), Set.of("updatedSince")));
                }
            }
        });
        return listable;
    }

    /**
     * The member of a CRM's record that holds its id in a model (by section name: people, notes...), the key of a
     * Universal record's {@code originalIds}; empty when the connector has no such model.
     */
    public Optional<String> idMember(String appKey, String section) {
        return forConnector(appKey).flatMap(mapping -> Arrays.stream(CrmMapping.Kind.values())
                .filter(kind -> kind.section().equals(section)).findFirst().map(mapping::model)
                .map(model -> model.fields().get("id")).map(CrmMapping.Field::member));
    }

    private static boolean lists(CrmMapping.ListOperation list, Set<String> filters) {
        return list.applies(filters) || list.search() != null && list.search().applies(filters);
    }

    /** The connectors with a mapping of their own, for the docs and the console. */
    public List<String> appKeys() {
        return byAppKey.keySet().stream().sorted().toList();
    }

    private static Map<String, CrmMapping> load(String location, List<String> errors) {
        var mappings = new HashMap<String, CrmMapping>();
        Resource[] resources;
        try {
            resources = new PathMatchingResourcePatternResolver().getResources(location);
        } catch (IOException e) {
            errors.add("connectors/universal/: cannot be read (" + e.getMessage() + ")");
            return mappings;
        }
        for (Resource resource : resources) {
            String file = "connectors/universal/" + resource.getFilename();
            try (InputStream in = resource.getInputStream()) {
                var mapping = MappingParser.parse(file, YAML.readTree(in), errors);
                if (mapping == null) {
                    continue;
                }
                String expected = resource.getFilename() == null ? "" : resource.getFilename().replaceFirst("\\.yaml$", "");
                if (!mapping.appKey().equals(expected)) {
                    errors.add(file + ": appKey: must be the file's name (" + expected + ")");
                } else if (mappings.putIfAbsent(mapping.appKey(), mapping) != null) {
                    errors.add(file + ": appKey: " + mapping.appKey() + " is mapped twice");
                }
            } catch (JacksonException e) {
                errors.add(file + ": is not valid YAML (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                errors.add(file + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        return Map.copyOf(mappings);
    }

    /**
     * {@code connector=mapping,...}: a connector (a custom one pointing at a CRM's regional or staging API, say)
     * that speaks the API of a CRM with a mapping.
     */
    private Map<String, String> aliases(String setting, List<String> errors) {
        var aliases = new HashMap<String, String>();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || !byAppKey.containsKey(parts[1].strip())) {
                errors.add("PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS: '" + pair.strip()
                        + "' must be connector=mapping, the mapping one of " + appKeys());
                continue;
            }
            aliases.put(parts[0].strip(), parts[1].strip());
        }
        return Map.copyOf(aliases);
    }

    /** Start-up stops here: the message lists every problem in every mapping file. */
    public static class UniversalMappingException extends IllegalStateException {

        UniversalMappingException(List<String> errors) {
            super("Universal CRM mappings are invalid:\n  " + String.join("\n  ", errors));
        }
    }
}
