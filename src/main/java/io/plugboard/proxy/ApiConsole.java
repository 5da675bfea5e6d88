package io.plugboard.proxy;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.CurrentUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The portal's API console: runs a request through the very same proxy for one credential at a time,
 * keeping only a size-capped preview of the answer. Auditors cannot run calls.
 */
@Service
public class ApiConsole {

    static final int PREVIEW_BYTES = 64 * 1024;
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final ProxyService proxy;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;

    ApiConsole(ProxyService proxy, AuditLog audit, CurrentUser currentUser, Clock clock) {
        this.proxy = proxy;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    public record ConsoleRequest(String method, String path, @Nullable String query, Map<String, List<String>> headers,
                                 @Nullable String body) {
    }

    /** Records the run once, before any call: who, which credentials, method and path. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public void auditRun(UUID tenantId, List<String> credentialIds, ConsoleRequest request) {
        currentUser.requireWritableTenant(tenantId);
        audit.record(AuditRecord.of("console.run", tenantId).target("console", "run")
                .detail("method", request.method()).detail("path", request.path())
                .detail("credentials", String.join(" ", credentialIds)).detail("count", credentialIds.size()));
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    public ConsoleRun run(UUID tenantId, String credentialId, ConsoleRequest request) {
        // A call may change data at the provider: customer success must have enabled changes.
        currentUser.requireWritableTenant(tenantId);
        String requestId = ProxyService.newRequestId();
        String actor = currentUser.principal().map(p -> p.email()).orElse("portal");
        byte[] body = request.body() == null || request.body().isEmpty() ? null
                : request.body().getBytes(StandardCharsets.UTF_8);
        var call = new ProxyRequest(request.method(), request.path().startsWith("/") ? request.path() : "/" + request.path(),
                request.query() == null || request.query().isBlank() ? null : request.query().strip(),
                request.headers(), body == null ? null : ProxyRequest.bytes(body), 0, CallSource.PORTAL, actor);
        var preview = new Preview();
        try {
            ProxyResult result = proxy.forward(tenantId, credentialId, call, requestId, preview);
            return new ConsoleRun(credentialId, result.status(), result.latencyMs(), result.bytesOut(), clock.instant(),
                    preview.headers, pretty(preview.captured.toByteArray()), preview.truncated, null, requestId);
        } catch (ProxyException e) {
            return new ConsoleRun(credentialId, e.status(), 0, 0, clock.instant(), Map.of(), "", false, e.getMessage(),
                    requestId);
        }
    }

    private static String pretty(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode node = PRETTY.readTree(text);
            return node == null ? text : PRETTY.writeValueAsString(node);
        } catch (RuntimeException e) {
            return text;
        }
    }

    /** Keeps the first {@value #PREVIEW_BYTES} bytes and counts the rest. */
    private static final class Preview implements ResponseSink {
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private Map<String, List<String>> headers = Map.of();
        private boolean truncated;

        @Override
        public OutputStream start(int status, Map<String, List<String>> headers, long contentLength) {
            this.headers = headers;
            return new OutputStream() {
                @Override
                public void write(int b) {
                    if (captured.size() < PREVIEW_BYTES) {
                        captured.write(b);
                    } else {
                        truncated = true;
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int room = Math.max(0, PREVIEW_BYTES - captured.size());
                    captured.write(b, off, Math.min(room, len));
                    if (len > room) {
                        truncated = true;
                    }
                }
            };
        }
    }
}
