package io.plugboard.proxy;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A saved console request for one connector. {@code headers} is the console's "Name: value" text, one per line. */
public record RequestTemplate(UUID id, String appKey, String name, String method, String path, @Nullable String query,
                              String headers, @Nullable String body, String createdBy) {
}
