package io.plugboard.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Deployment files as JSON trees: SnakeYAML reads them (it resolves Compose's {@code <<} merge keys), Jackson navigates. */
final class YamlDocuments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private YamlDocuments() {
    }

    static JsonNode file(Path path) throws IOException {
        return JSON.valueToTree(new Yaml(new LoaderOptions()).load(Files.readString(path)));
    }

    static List<JsonNode> all(String text) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (Objects.nonNull(document)) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }
}
