package io.plugboard.connector;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The Apache HttpClient every call to a provider or receiver goes through: pooled keep-alive connections, and
 * nothing done on its own — no redirects followed, no retries, no decompression, no cookies, no auth state — so
 * what is sent and received is exactly what the caller decided (it also checks and pins the destination).
 */
public final class PassThroughHttpClients {

    private PassThroughHttpClients() {
    }

    /**
     * @param connectTimeout  connecting, and waiting for a pooled connection
     * @param responseTimeout the longest silence while waiting for the answer and reading it
     * @param maxConnections  connections open at once, in all and to one destination
     * @param userAgent       sent when the request names none; {@code null}: none added
     */
    public static CloseableHttpClient create(Duration connectTimeout, Duration responseTimeout, int maxConnections,
                                             @Nullable String userAgent) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(responseTimeout))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .evictIdleConnections(TimeValue.ofSeconds(30));
        if (userAgent == null) {
            builder.disableDefaultUserAgent();
        } else {
            builder.setUserAgent(userAgent);
        }
        return builder.build();
    }
}
