package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Dotted paths written into request bodies: members, and array indexes made as a search body needs them. */
class JsonPathsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void putMakesTheObjectsOnTheWay() {
        ObjectNode body = JSON.createObjectNode();

        JsonPaths.put(body, "properties.firstname", JSON.getNodeFactory().stringNode("Mary"));
        JsonPaths.put(body, "properties.lastname", JSON.getNodeFactory().stringNode("Mcmillan"));

        assertThat(body.toString()).isEqualTo("{\"properties\":{\"firstname\":\"Mary\",\"lastname\":\"Mcmillan\"}}");
    }

    @Test
    void aDigitSegmentIsAnArrayIndexAndAddingReusesTheArray() {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"sorts\": [{\"propertyName\": \"lastmodifieddate\"}]}");

        JsonPaths.array(body, "filterGroups.0.filters").add(JSON.readTree("{\"propertyName\": \"email\"}"));
        JsonPaths.array(body, "filterGroups.0.filters").add(JSON.readTree("{\"propertyName\": \"phone\"}"));
        JsonPaths.put(body, "sorts.0.direction", JSON.getNodeFactory().stringNode("ASCENDING"));

        assertThat(body).isEqualTo(JSON.readTree("""
                {"sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
                 "filterGroups": [{"filters": [{"propertyName": "email"}, {"propertyName": "phone"}]}]}"""));
    }

    @Test
    void readingAnEmptyPathIsTheNodeItself() {
        var node = JSON.readTree("{\"item\": {\"id\": 1}}");

        assertThat(JsonPaths.at(node, "")).isSameAs(node);
        assertThat(JsonPaths.at(node, "item.id").asInt()).isEqualTo(1);
        assertThat(JsonPaths.at(node, "item.missing").isMissingNode()).isTrue();
    }
}
