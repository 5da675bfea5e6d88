package io.plugboard.client;

import java.util.List;

/**
 * A connector the tenant can use ({@code enabled}: its integration is on): {@code source} is {@code BUILT_IN},
 * {@code OPERATOR} or {@code CUSTOM}; {@code fields} are the connect form's, {@code metadata} what the tenant asks
 * its credentials to carry.
 */
public record Connector(String appKey, String name, String category, String authMode, String docsUrl, String source,
                        boolean enabled, List<Field> fields, List<MetadataField> metadata) {

    public Connector {
        fields = fields == null ? List.of() : List.copyOf(fields);
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
    }

    public record Field(String key, String label, boolean secret, boolean required, boolean prefillable) {
    }

    public record MetadataField(String key, String label, String type, boolean required) {
    }
}
