package io.plugboard.credential;

import io.plugboard.common.TextInput;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A label and metadata edit. Null leaves that part unchanged; metadata replaces the whole map. */
public record CredentialChange(@Nullable String label, @Nullable Map<String, Object> metadata) {

    public CredentialChange {
        TextInput.line("label", label, 200);
        TextInput.json("metadata", metadata, MetadataRules.MAX_STRING);
    }
}
