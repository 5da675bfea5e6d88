package io.plugboard.client;

import java.util.Map;

/** A label and metadata edit: a null part is left unchanged; metadata replaces the whole map. */
public record CredentialChange(String label, Map<String, Object> metadata) {

    public static CredentialChange label(String label) {
        return new CredentialChange(label, null);
    }

    public static CredentialChange metadata(Map<String, Object> metadata) {
        return new CredentialChange(null, metadata);
    }

    public CredentialChange withMetadata(Map<String, Object> metadata) {
        return new CredentialChange(label, metadata);
    }
}
