package io.plugboard.connect;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A finished connection, for the success screen, the opener's postMessage and the redirect. */
public record Connected(String sessionId, String credentialId, String appKey, String connectorName,
                        String account, @Nullable String redirectUrl, List<String> allowedOrigins) {
}
