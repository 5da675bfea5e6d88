package io.plugboard.connector.conformance;

import io.plugboard.connector.ConnectorDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The connectors that have a conformance file: {@code src/test/resources/conformance/<appKey>/conformance.yaml}. */
final class ConformanceFiles {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ConformanceFiles() {
    }

    static List<String> appKeys() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:conformance/*/" + ConformanceSpec.FILE);
            return Arrays.stream(files).map(ConformanceFiles::appKey).filter(Objects::nonNull).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in definition as shipped ({@code connectors/<appKey>.yaml}). */
    static ConnectorDefinition definition(String appKey) {
        try (InputStream in = ConformanceFiles.class.getResourceAsStream("/connectors/" + appKey + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("no built-in connector " + appKey);
            }
            return YAML.readValue(in, ConnectorDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String appKey(Resource file) {
        try {
            String[] parts = file.getURL().getPath().split("/");
            return parts[parts.length - 2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
