package io.plugboard.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.SecretInjection;
import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialAccess;
import io.plugboard.credential.CredentialResolver;
import io.plugboard.credential.CredentialUnusableException;
import io.plugboard.credential.RefreshFailedException;
import io.plugboard.credential.TenantSuspendedException;
import io.plugboard.observability.CallTracing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
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
    private static final int SMALL_BUFFER = 8 * 1024;

    private final CredentialResolver credentials;
    private final CallLog callLog;
    private final ProxyProperties properties;
    private final Clock clock;
    private final ProviderClient client;
    private final DestinationPolicy destinations;
    private final CallLimits limits;
    private final ConnectorSettingsService connectorSettings;
    private final CallTracing tracing;
    /**
     * The API address of each opened credential the cache of {@link CredentialResolver} hands out: the same copy
     * serves call after call, and forming the address from its fields (URI parsing, host checks) was a twentieth
     * of a call's CPU. Keyed by identity (weak keys): a refresh or reconnect opens a new copy, which gets its own.
     */
    private final Cache<CredentialAccess, URI> baseUrls = Caffeine.newBuilder().weakKeys().maximumSize(100_000).build();

    ProxyService(CredentialResolver credentials, CallLog callLog, ProxyProperties properties, Clock clock,
                 DestinationPolicy destinations, ProviderClient client, CallLimits limits,
                 ConnectorSettingsService connectorSettings, CallTracing tracing) {
        this.tracing = tracing;
        this.connectorSettings = connectorSettings;
        this.destinations = destinations;
        this.limits = limits;
        this.credentials = credentials;
        this.callLog = callLog;
        this.properties = properties;
        this.clock = clock;
        this.client = client;
    }

    public static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }

    /**
     * Makes the call and logs it, whatever happens: a call refused before the provider is reached (unknown or
     * unusable credential, forbidden destination, a failed token refresh...) leaves a row with the status and
     * problem type the caller got, but does not count as a use of the credential.
     */
    public ProxyResult forward(UUID tenantId, String credentialId, ProxyRequest request, String requestId,
                               ResponseSink sink) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        String method = request.method().toUpperCase(Locale.ROOT);
        var outcome = new Outcome();
        boolean entered = false;
        try {
            limits.enterTenant(tenantId);
            entered = true;
            return exchange(tenantId, credentialId, method, request, requestId, sink, outcome, startNanos);
        } catch (ProxyException e) {
            outcome.status = e.status();
            outcome.problem = e.type();
            throw e;
        } catch (RuntimeException e) {
            // The API answers these with a 500 "internal" problem, the console with a 500 row.
            outcome.status = 500;
            outcome.problem = "internal";
            throw e;
        } finally {
            if (outcome.host != null) {
                limits.leaveHost(outcome.host);
            }
            if (entered) {
                limits.leaveTenant(tenantId);
            }
            callLog.record(new CallLog.Call(tenantId, credentialId, outcome.appKey, method, loggedPath(request),
                    outcome.status, Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), outcome.bytesIn, outcome.bytesOut, outcome.retries, request.source(), request.actor(), requestId,
                    started, outcome.problem, outcome.sent));
        }
    }

    /**
     * Logs a call refused before {@link #forward} could be asked to make it (an invalid {@code X-Plugboard-Retries}
     * header) and returns the refusal for the caller to throw.
     */
    public ProxyException refused(UUID tenantId, String credentialId, ProxyRequest request, String requestId,
                                  ProxyException refusal) {
        callLog.record(new CallLog.Call(tenantId, credentialId, null, request.method().toUpperCase(Locale.ROOT),
                loggedPath(request), refusal.status(), 0, 0, 0, 0, request.source(), request.actor(), requestId,
                clock.instant(), refusal.type(), false));
        return refusal;
    }

    /**
     * The credential as {@link #forward} would open it (tenant- and end-user-scoped, refreshed when due), for a
     * caller that must know its connector before it can form the call; refusals are the proxy's own.
     */
    public CredentialAccess open(UUID tenantId, String credentialId) {
        return resolve(tenantId, credentialId);
    }

    /** What the call log needs to know about a call as it goes; one per call, used by one thread. */
    private static final class Outcome {
        @Nullable String appKey;
        int status;
        @Nullable String problem;
        long bytesIn;
        long bytesOut;
        int retries;
        /** Whether a request went out to the provider: only then was the credential used. */
        boolean sent;
        /** The provider host whose place this call holds (see {@link CallLimits}), once it has one. */
        @Nullable String host;
    }

    private ProxyResult exchange(UUID tenantId, String credentialId, String method, ProxyRequest request,
                                 String requestId, ResponseSink sink, Outcome outcome, long startNanos) {
        CredentialAccess access = tracing.step(CallTracing.CREDENTIAL_RESOLUTION, () -> resolve(tenantId, credentialId));
        outcome.appKey = access.connector().appKey();
        tracing.connector(outcome.appKey);
        boolean unresolvable = false;
        URI base = baseUrls.getIfPresent(access);
        if (base == null) {
            try {
                base = ConnectionFields.baseUrl(access.connector(), access.values());
            } catch (InvalidRequestException e) {
                throw new ProxyException(502, "connector-misconfigured", "The credential's API address cannot be formed.");
            }
            baseUrls.put(access, base);
        }
        URI plain = SafeTarget.build(base, request.path(), request.rawQuery());
        outcome.host = limits.enterHost(plain);
        InetAddress pinned;
        try {
            pinned = destinations.pin(plain);
        } catch (DestinationPolicy.ForbiddenDestinationException e) {
            throw new ProxyException(403, "forbidden-destination", e.getMessage());
        } catch (UnknownHostException e) {
            pinned = null;
            unresolvable = true;
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
        outcome.bytesIn = buffered != null ? buffered.length : 0;
        Map<String, String> fixedHeaders = connectorSettings.headers(tenantId, access.connector(), access.values(), plain);
        while (true) {
            var injected = SecretInjection.of(access.connector(), access.values(), access.secret().accessToken());
            URI target = withQuery(plain, injected.queryParameters());
            // The connector's fixed headers replace the caller's of the same name; the credential's auth wins.
            Map<String, String> providerHeaders = injected.headers();
            if (!fixedHeaders.isEmpty()) {
                providerHeaders = new LinkedHashMap<>(fixedHeaders);
                providerHeaders.putAll(injected.headers());
            }
            ClassicHttpResponse response;
            try {
                if (unresolvable) {
                    // Resolving again here, rather than in the client, keeps the address checked before use.
                    pinned = destinations.pin(plain);
                    unresolvable = false;
                }
                outcome.sent = true;
                InetAddress address = pinned;
                Map<String, String> headers = providerHeaders;
                ProviderClient.Body payload = body(request, buffered);
                // Until the provider's status and headers: each attempt (a retry, the call after a 401) is its own span.
                response = tracing.step(CallTracing.PROVIDER_CALL, () -> client.open(method, target, address,
                        HeaderHygiene.upstream(request.headers()), headers, payload));
            } catch (ConnectException | ConnectTimeoutException | ConnectionRequestTimeoutException
                     | UnknownHostException e) {
                // Nothing was sent: any method may be tried again.
                if (outcome.retries < retriesAllowed && replayable && sleep(RetryPolicy.backoff(outcome.retries), deadline)) {
                    outcome.retries++;
                    continue;
                }
                throw new ProxyException(502, "provider-unreachable", "The provider could not be reached.");
            } catch (DestinationPolicy.ForbiddenDestinationException e) {
                throw new ProxyException(403, "forbidden-destination", e.getMessage());
            } catch (SocketTimeoutException e) {
                if (idempotent && replayable && outcome.retries < retriesAllowed
                        && sleep(RetryPolicy.backoff(outcome.retries), deadline)) {
                    outcome.retries++;
                    continue;
                }
                throw new ProxyException(504, "provider-timeout", "The provider did not answer in time.");
            } catch (IOException e) {
                if (idempotent && replayable && outcome.retries < retriesAllowed
                        && sleep(RetryPolicy.backoff(outcome.retries), deadline)) {
                    outcome.retries++;
                    continue;
                }
                throw new ProxyException(502, "provider-unreachable", "The connection to the provider failed.");
            }
            try (response) {
                int code = response.getCode();
                if (code == 401 && !refreshedAfter401 && replayable && access.connector().authMode().oauth()) {
                    discard(response);
                    refreshedAfter401 = true;
                    access = refreshAfterRejection(access);
                    continue;
                }
                if (RetryPolicy.RETRYABLE_STATUS.contains(code) && idempotent && replayable
                        && outcome.retries < retriesAllowed) {
                    Duration wait = ProviderWait.requested(name -> ProviderClient.first(response, name), clock)
                            .orElse(RetryPolicy.backoff(outcome.retries));
                    if (sleep(wait, deadline)) {
                        discard(response);
                        outcome.retries++;
                        continue;
                    }
                }
                outcome.status = code;
                outcome.bytesOut = stream(response, sink);
                return new ProxyResult(requestId, code, outcome.bytesIn, outcome.bytesOut, outcome.retries,
                        Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
            } catch (IOException e) {
                // Closing a response whose body was not read to the end: the connection is dropped, nothing lost.
                return new ProxyResult(requestId, outcome.status, outcome.bytesIn, outcome.bytesOut, outcome.retries,
                        Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
            }
        }
    }

    private static ProviderClient.@Nullable Body body(ProxyRequest request, byte @Nullable [] buffered) throws IOException {
        if (buffered != null) {
            return new ProviderClient.Body.Bytes(buffered);
        }
        if (request.body() == null || request.body().length() == 0) {
            return null;
        }
        return new ProviderClient.Body.Stream(request.body().open(), request.body().length());
    }

    private CredentialAccess resolve(UUID tenantId, String credentialId) {
        try {
            return credentials.access(tenantId, credentialId);
        } catch (NotFoundException e) {
            throw new ProxyException(404, "credential-not-found", "No credential " + credentialId + " in this tenant.");
        } catch (TenantSuspendedException e) {
            throw new ProxyException(401, "invalid-token", e.getMessage());
        } catch (CredentialUnusableException e) {
            throw unusable(e);
        } catch (RefreshFailedException e) {
            throw e.permanent() ? new ProxyException(409, "refresh_failed", e.getMessage())
                    : new ProxyException(502, "token-refresh-failed", e.getMessage());
        }
    }

    private static ProxyException unusable(CredentialUnusableException e) {
        return new ProxyException(409, switch (e.status()) {
            case REFRESH_FAILED -> "refresh_failed";
            case NEEDS_RECONNECT -> "needs_reconnect";
            default -> "credential-" + e.status().name().toLowerCase(Locale.ROOT);
        }, e.getMessage());
    }

    private CredentialAccess refreshAfterRejection(CredentialAccess access) {
        try {
            return credentials.afterRejection(access);
        } catch (CredentialUnusableException e) {
            throw unusable(e);
        } catch (RefreshFailedException e) {
            throw e.permanent() ? new ProxyException(409, "refresh_failed", e.getMessage())
                    : new ProxyException(502, "token-refresh-failed", e.getMessage());
        }
    }

    private static long stream(ClassicHttpResponse response, ResponseSink sink) throws IOException {
        var headers = HeaderHygiene.downstream(ProviderClient.headers(response));
        HttpEntity entity = response.getEntity();
        String declared = ProviderClient.first(response, "Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                // sent on without a length
            }
        }
        OutputStream out = sink.start(response.getCode(), headers, length);
        if (entity == null) {
            out.flush();
            return 0;
        }
        long copied = 0;
        try (InputStream in = entity.getContent()) {
            // Most answers are small: a 64 KB buffer per call was most of what a proxied call allocated.
            byte[] buffer = new byte[length >= 0 ? (int) Math.clamp(length, 1, COPY_BUFFER) : SMALL_BUFFER];
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

    private static void discard(ClassicHttpResponse response) {
        try {
            EntityUtils.consume(response.getEntity());
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
        var logged = new StringBuilder(path.length() + request.rawQuery().length() + 1).append(path).append('?');
        String separator = "";
        for (String parameter : request.rawQuery().split("&")) {
            int equals = parameter.indexOf('=');
            logged.append(separator).append(parameter, 0, equals >= 0 ? equals : parameter.length()).append('=');
            separator = "&";
        }
        return logged.toString();
    }
}
