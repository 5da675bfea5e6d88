package io.plugboard.webhook;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What an admin enters for an endpoint: where, a note, and which events it receives. */
public record EndpointInput(@Nullable String url, @Nullable String description, @Nullable List<String> eventTypes) {
}
