package io.plugboard.proxy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One credential's outcome in an API console run: what came back, capped for display. */
public record ConsoleRun(String credentialId, int status, long latencyMs, long bytes, Instant at,
                         Map<String, List<String>> headers, String bodyPreview, boolean truncated,
                         @Nullable String error, String requestId) {
}
