package io.plugboard.mcp;

import io.plugboard.common.DatabaseUnavailable;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.proxy.ProxyException;
import io.plugboard.universal.UniversalException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/**
 * A tool call that failed, as the REST API would have answered it: the same status, problem type and detail, so an
 * assistant reads the message a backend developer would, and never a stack trace.
 */
record ToolFailure(int status, String type, String detail, @Nullable Long retryAfterSeconds) {

    private static final Logger log = LoggerFactory.getLogger(ToolFailure.class);
    static final String TYPE_BASE = "https://plugboard.dev/problems/";

    static ToolFailure of(RuntimeException e) {
        return switch (e) {
            case UniversalException u -> new ToolFailure(u.status(), u.type(), message(u),
                    u.status() == 429 ? (u.retryAfterSeconds() == null ? 1L : u.retryAfterSeconds()) : null);
            case ProxyException p -> new ToolFailure(p.status(), p.type(), message(p), null);
            case InvalidRequestException i -> new ToolFailure(400, "invalid-request", message(i), null);
            case NotFoundException n -> new ToolFailure(404, "not-found", message(n), null);
            case AccessDeniedException a -> new ToolFailure(403, "forbidden", "This token may not do that.", null);
            default -> {
                if (DatabaseUnavailable.causedBy(e)) {
                    DatabaseUnavailable.LOG.warn("MCP tool calls answered 503, database unavailable",
                            DatabaseUnavailable.reason(e));
                    yield new ToolFailure(503, "database-unavailable", DatabaseUnavailable.MESSAGE, null);
                }
                log.error("Unexpected MCP tool failure", e);
                yield new ToolFailure(500, "internal", "Something went wrong on our side.", null);
            }
        };
    }

    /** The problem+json members the REST API would send. */
    Map<String, Object> problem() {
        var problem = new LinkedHashMap<String, Object>();
        problem.put("type", TYPE_BASE + type);
        problem.put("status", status);
        problem.put("detail", detail);
        if (retryAfterSeconds != null) {
            problem.put("retryAfterSeconds", retryAfterSeconds);
        }
        return problem;
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
