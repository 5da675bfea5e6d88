package io.plugboard.connector;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads definition files strictly: an unknown key or a wrong type is an error naming file and field. */
final class ConnectorFiles {

    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * A definition a tenant admin sends (the portal's editor, the API): as strict, and a list entry or map value
     * that is null ({@code fields: [~]}) is refused with its path rather than handed to the validator.
     */
    static final YAMLMapper YAML_INPUT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultNullHandling(n -> JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .build();

    /** The same for a definition sent as JSON. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultNullHandling(n -> JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .build();

    /** A definition and, for a built-in file only, the destinations it declares it moved from. */
    record Loaded(String file, ConnectorDefinition definition, List<MovedFrom> movedFrom) {

        Loaded(String file, ConnectorDefinition definition) {
            this(file, definition, List.of());
        }
    }

    /** The key of a built-in file's former destinations; read apart from the definition, which never holds it. */
    static final String MOVED_FROM = "movedFrom";

    private ConnectorFiles() {
    }

    static List<Loaded> builtIn(List<String> errors) {
        var loaded = new ArrayList<Loaded>();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:connectors/*.yaml");
            for (Resource resource : resources) {
                String name = "connectors/" + resource.getFilename();
                try (InputStream in = resource.getInputStream()) {
                    read(name, in, true, loaded, errors);
                }
            }
        } catch (IOException e) {
            errors.add("connectors/: cannot be read (" + e.getMessage() + ")");
        }
        return loaded;
    }

    static List<Loaded> directory(Path dir, List<String> errors) {
        var loaded = new ArrayList<Loaded>();
        if (!Files.isDirectory(dir)) {
            errors.add(dir + ": PLUGBOARD_CONNECTORS_DIR is not a directory");
            return loaded;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    read(file.toString(), in, false, loaded, errors);
                }
            }
        } catch (IOException e) {
            errors.add(dir + ": cannot be read (" + e.getMessage() + ")");
        }
        return loaded;
    }

    /**
     * Reads one file. {@code movedFrom} is taken only from a built-in file (shipped with the application): an
     * operator's file is refused with it, and a tenant's custom connector cannot hold it at all (the definition has
     * no such key), since whoever can edit a definition could otherwise declare any destination a former one.
     */
    static void read(String name, InputStream in, boolean builtIn, List<Loaded> loaded, List<String> errors)
            throws IOException {
        byte[] bytes = in.readAllBytes();
        try {
            JsonNode tree = movedFromTree(bytes);
            if (tree == null) {
                ConnectorDefinition definition = YAML.readValue(bytes, ConnectorDefinition.class);
                if (definition == null) {
                    errors.add(name + ": is empty");
                } else {
                    loaded.add(new Loaded(name, definition));
                }
                return;
            }
            if (!builtIn) {
                errors.add(name + ": " + MOVED_FROM + ": only a connector file shipped with Plugboard may declare "
                        + "former destinations");
                return;
            }
            var root = (ObjectNode) tree;
            JsonNode moves = root.remove(MOVED_FROM);
            ConnectorDefinition definition = YAML.treeToValue(root, ConnectorDefinition.class);
            MovedFrom[] movedFrom;
            try {
                movedFrom = YAML.treeToValue(moves, MovedFrom[].class);
            } catch (JacksonException e) {
                errors.add(name + ": " + MOVED_FROM + (path(e).isEmpty() ? ": " : "") + describe(e, "YAML"));
                return;
            }
            if (movedFrom == null || movedFrom.length == 0 || Arrays.asList(movedFrom).contains(null)) {
                errors.add(name + ": " + MOVED_FROM + ": must be a list of former destinations");
                return;
            }
            loaded.add(new Loaded(name, definition, List.of(movedFrom)));
        } catch (JacksonException e) {
            errors.add(name + ": " + describe(e, "YAML"));
        }
    }

    /** The file as a tree when it is a mapping holding {@code movedFrom}, else null (read as before). */
    private static @Nullable JsonNode movedFromTree(byte[] bytes) {
        try {
            JsonNode tree = YAML.readTree(bytes);
            return tree != null && tree.isObject() && tree.has(MOVED_FROM) ? tree : null;
        } catch (JacksonException e) {
            // Reported by the typed read, with the same message as any broken file.
            return null;
        }
    }

    /** "oauth.tokenUrl: ..." from Jackson's path, naming the rule instead of the class names Jackson would print. */
    static String describe(JacksonException e, String format) {
        String path = path(e);
        String at = path.isEmpty() ? "" : path + ": ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            var known = unknown.getKnownPropertyIds() == null ? List.<String>of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return at + "unknown key '" + unknown.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : " (allowed: " + String.join(", ", known) + ")");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return at + expected(mismatch.getTargetType());
        }
        if (e instanceof DatabindException) {
            String message = e.getOriginalMessage();
            int cut = message.indexOf(':');
            return at + (cut > 0 ? message.substring(0, cut) : message);
        }
        var location = e.getLocation();
        String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("").strip();
        String detail = location == null ? reason : "line " + location.getLineNr() + (reason.isEmpty() ? "" : ": " + reason);
        return "not valid " + format + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** The rule a value broke, from the Java type it had to become. */
    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "must be one of " + String.join(", ",
                    Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be a mapping of keys to values";
        }
        if (type == Duration.class) {
            return "must be an ISO-8601 duration such as PT1H";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a text value";
        }
        return "must be a " + type.getSimpleName();
    }

    private static String path(JacksonException e) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (e instanceof UnrecognizedPropertyException && sb.toString().endsWith(((UnrecognizedPropertyException) e).getPropertyName())) {
            int cut = sb.lastIndexOf(".");
            return cut < 0 ? "" : sb.substring(0, cut);
        }
        return sb.toString();
    }
}
