package io.plugboard.connector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads definition files strictly: an unknown key or a wrong type is an error naming file and field. */
final class ConnectorFiles {

    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record Loaded(String file, ConnectorDefinition definition) {
    }

    private ConnectorFiles() {
    }

    static List<Loaded> builtIn(List<String> errors) {
        var loaded = new ArrayList<Loaded>();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:connectors/*.yaml");
            for (Resource resource : resources) {
                String name = "connectors/" + resource.getFilename();
                try (InputStream in = resource.getInputStream()) {
                    read(name, in, loaded, errors);
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
                    read(file.toString(), in, loaded, errors);
                }
            }
        } catch (IOException e) {
            errors.add(dir + ": cannot be read (" + e.getMessage() + ")");
        }
        return loaded;
    }

    private static void read(String name, InputStream in, List<Loaded> loaded, List<String> errors) {
        try {
            ConnectorDefinition definition = YAML.readValue(in, ConnectorDefinition.class);
            if (definition == null) {
                errors.add(name + ": is empty");
            } else {
                loaded.add(new Loaded(name, definition));
            }
        } catch (JacksonException e) {
            errors.add(name + ": " + describe(e));
        }
    }

    /** "oauth.tokenUrl: ..." from Jackson's path, without the class names it would otherwise print. */
    static String describe(JacksonException e) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return (path.isEmpty() ? "" : path + ": ") + "unknown key '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof DatabindException) {
            String message = e.getOriginalMessage();
            int cut = message.indexOf(':');
            String reason = message.contains("not one of the values accepted") ? "not one of the accepted values"
                    : message.contains("Cannot deserialize") ? "has the wrong type"
                    : cut > 0 ? message.substring(0, cut) : message;
            return (path.isEmpty() ? "" : path + ": ") + reason;
        }
        var location = e.getLocation();
        return "not valid YAML" + (location == null ? "" : " (line " + location.getLineNr() + ")");
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
