package io.plugboard.proxy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.SecretInjection;
import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialAccess;
import io.plugboard.credential.CredentialResolver;
import io.plugboard.credential.CredentialUnusableException;
import io.plugboard.credential.RefreshFailedException;
import io.plugboard.credential.TenantSuspendedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Makes one call to a provider through a credential: auth injected as the connector defines, token
 * refreshed first when due (and once more after a 401), safe retries, and the answer streamed back.
 */
@Service
public class ProxyService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COPY_BUFFER = 64 * 1024;

    private final CredentialResolver credentials;
    private final CallLog callLog;
    private final ProxyProperties properties;
    private final Clock clock;
    private final HttpClient http;
    private final DestinationPolicy destinations;

    ProxyService(CredentialResolver credentials, CallLog callLog, ProxyProperties properties, Clock clock,
                 DestinationPolicy destinations) {
        this.destinations = destinations;
        this.credentials = credentials;
        this.callLog = callLog;
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }

    public ProxyResult forward(UUID tenantId, String credentialId, ProxyRequest request, String requestId,
                               ResponseSink sink) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        String method = request.method().toUpperCase(Locale.ROOT);
        CredentialAccess access = resolve(tenantId, credentialId);
        URI base;
        try {
            base = ConnectionFields.baseUrl(access.connector(), access.values());
        } catch (InvalidRequestException e) {
            throw new ProxyException(502, "connector-misconfigured", "The credential's API address cannot be formed.");
        }
        URI plain = SafeTarget.build(base, request.path(), request.rawQuery());
        try {
            destinations.check(plain);
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            throw new ProxyException(403, "forbidden-destination", e.getMessage());
        }

        byte[] buffered = null;
        boolean replayable = true;
        if (request.body() != null && request.body().length() != 0) {
            long length = request.body().length();
            if (length > 0 && length <= properties.maxBufferedBody()) {
                try (InputStream in = request.body().open()) {
                    buffered = in.readAllBytes();
                } catch (IOException e) {
                    throw new ProxyException(400, "invalid-body", "The request body could not be read.");
                }
            } else {
                replayable = false;
            }
        }
        boolean idempotent = RetryPolicy.IDEMPOTENT.contains(method);
        int retriesAllowed = request.retries();
        Instant deadline = clock.instant().plus(properties.retryBudget());
        boolean refreshedAfter401 = false;
        int retries = 0;
        long bytesIn = buffered != null ? buffered.length : 0;
        int status = 0;
        long bytesOut = 0;
        try {
            while (true) {
                var injected = SecretInjection.of(access.connector(), access.values(), access.secret().accessToken());
                URI target = withQuery(plain, injected.queryParameters());
                HttpRequest upstream = build(method, target, request, injected.headers(), buffered, requestId);
                HttpResponse<InputStream> response;
                try {
                    response = http.send(upstream, HttpResponse.BodyHandlers.ofInputStream());
                } catch (HttpConnectTimeoutException | ConnectException e) {
                    // Nothing was sent: any method may be tried again.
                    if (retries < retriesAllowed && replayable && sleep(RetryPolicy.backoff(retries), deadline)) {
                        retries++;
                        continue;
                    }
                    status = 502;
                    throw new ProxyException(502, "provider-unreachable", "The provider could not be reached.");
                } catch (HttpTimeoutException e) {
                    if (idempotent && replayable && retries < retriesAllowed && sleep(RetryPolicy.backoff(retries), deadline)) {
                        retries++;
                        continue;
                    }
                    status = 504;
                    throw new ProxyException(504, "provider-timeout", "The provider did not answer in time.");
                } catch (IOException e) {
                    if (idempotent && replayable && retries < retriesAllowed && sleep(RetryPolicy.backoff(retries), deadline)) {
                        retries++;
                        continue;
                    }
                    status = 502;
                    throw new ProxyException(502, "provider-unreachable", "The connection to the provider failed.");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = 503;
                    throw new ProxyException(503, "shutting-down", "The call was interrupted.");
                }
                int code = response.statusCode();
                if (code == 401 && !refreshedAfter401 && replayable && access.connector().authMode().oauth()) {
                    discard(response);
                    refreshedAfter401 = true;
                    access = refreshAfterRejection(access);
                    continue;
                }
                if (RetryPolicy.RETRYABLE_STATUS.contains(code) && idempotent && replayable && retries < retriesAllowed) {
                    Duration wait = RetryPolicy.requested(response.headers(), clock).orElse(RetryPolicy.backoff(retries));
                    if (sleep(wait, deadline)) {
                        discard(response);
                        retries++;
                        continue;
                    }
                }
                status = code;
                bytesOut = stream(response, sink);
                return new ProxyResult(requestId, code, bytesIn, bytesOut, retries,
                        Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
            }
        } finally {
            callLog.record(new CallLog.Call(tenantId, credentialId, access.connector().appKey(), method,
                    loggedPath(request), status, Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), bytesIn,
                    bytesOut, retries, request.source(), request.actor(), requestId, started));
        }
    }

    private CredentialAccess resolve(UUID tenantId, String credentialId) {
        try {
            return credentials.access(tenantId, credentialId);
        } catch (NotFoundException e) {
            throw new ProxyException(404, "credential-not-found", "No credential " + credentialId + " in this tenant.");
        } catch (TenantSuspendedException e) {
            throw new ProxyException(401, "invalid-token", e.getMessage());
        } catch (CredentialUnusableException e) {
            throw new ProxyException(409, e.status() == io.plugboard.credential.CredentialStatus.REFRESH_FAILED
                    ? "refresh_failed" : "credential-" + e.status().name().toLowerCase(Locale.ROOT), e.getMessage());
        } catch (RefreshFailedException e) {
            throw e.permanent() ? new ProxyException(409, "refresh_failed", e.getMessage())
                    : new ProxyException(502, "token-refresh-failed", e.getMessage());
        }
    }

    private CredentialAccess refreshAfterRejection(CredentialAccess access) {
        try {
            return credentials.afterRejection(access);
        } catch (RefreshFailedException e) {
            throw e.permanent() ? new ProxyException(409, "refresh_failed", e.getMessage())
                    : new ProxyException(502, "token-refresh-failed", e.getMessage());
        }
    }

    private HttpRequest build(String method, URI target, ProxyRequest request, Map<String, String> auth,
                              byte @Nullable [] buffered, String requestId) {
        HttpRequest.BodyPublisher body;
        if (buffered != null) {
            body = HttpRequest.BodyPublishers.ofByteArray(buffered);
        } else if (request.body() != null && request.body().length() != 0) {
            var source = request.body();
            var stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return source.open();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            body = source.length() > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, source.length()) : stream;
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        var builder = HttpRequest.newBuilder(target).timeout(properties.readTimeout()).method(method, body);
        HeaderHygiene.upstream(request.headers()).forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        auth.forEach(builder::setHeader);
        return builder.build();
    }

    private static long stream(HttpResponse<InputStream> response, ResponseSink sink) {
        var headers = HeaderHygiene.downstream(response.headers().map());
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long copied = 0;
        try (InputStream in = response.body()) {
            OutputStream out = sink.start(response.statusCode(), headers, length);
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
            out.flush();
        } catch (IOException e) {
            // The caller went away or the provider broke off mid-body: nothing more can be sent.
        }
        return copied;
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }

    private boolean sleep(Duration wait, Instant deadline) {
        if (clock.instant().plus(wait).isAfter(deadline)) {
            return false;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static URI withQuery(URI plain, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return plain;
        }
        String added = extra.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        String query = plain.getRawQuery();
        String base = plain.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + "?" + (query == null ? added : query + "&" + added));
    }

    /** The path with query parameter names but not their values. */
    static String loggedPath(ProxyRequest request) {
        String path = request.path().length() > 1500 ? request.path().substring(0, 1500) : request.path();
        if (request.rawQuery() == null || request.rawQuery().isEmpty()) {
            return path;
        }
        return path + "?" + java.util.Arrays.stream(request.rawQuery().split("&"))
                .map(p -> (p.contains("=") ? p.substring(0, p.indexOf('=')) : p) + "=")
                .collect(Collectors.joining("&"));
    }
}
