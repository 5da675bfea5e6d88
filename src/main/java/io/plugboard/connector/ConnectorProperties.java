package io.plugboard.connector;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param dir       operator directory of extra definition files ({@code *.yaml}); same appKey replaces a built-in
 * @param allowHttp accept plain-http provider URLs (self-hosted providers on a private network, tests)
 */
@ConfigurationProperties("plugboard.connectors")
public record ConnectorProperties(@Nullable Path dir, boolean allowHttp) {
}
