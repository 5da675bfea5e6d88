package io.plugboard.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.plugboard.security.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The API client behind one MCP message. The API filter chain authenticated the HTTP request; its authentication
 * is carried into the tool call in the SDK's transport context and put back around the work, so credential
 * scoping (an end user's token sees only its own credentials) and the database's row-level scope hold even if the
 * SDK ever runs a tool on a thread of its own.
 */
final class McpCaller {

    private static final String AUTHENTICATION = McpCaller.class.getName() + ".authentication";

    private McpCaller() {
    }

    /** The transport context of a request: its authentication, when the API chain established one. */
    static McpTransportContext capture(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof ApiPrincipal)) {
            return McpTransportContext.EMPTY;
        }
        return McpTransportContext.create(Map.of(AUTHENTICATION, authentication));
    }

    static ApiPrincipal principal(McpTransportContext context) {
        return (ApiPrincipal) authentication(context).getPrincipal();
    }

    /** Runs {@code work} as the request's API client, then restores what the thread had. */
    static <T> T as(McpTransportContext context, Supplier<T> work) {
        Authentication authentication = authentication(context);
        var previous = SecurityContextHolder.getContext();
        var scoped = SecurityContextHolder.createEmptyContext();
        scoped.setAuthentication(authentication);
        SecurityContextHolder.setContext(scoped);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private static Authentication authentication(McpTransportContext context) {
        if (context.get(AUTHENTICATION) instanceof Authentication authentication) {
            return authentication;
        }
        // The API chain answers 401 before the servlet for any request without a valid token.
        throw new IllegalStateException("an MCP message without an authenticated API client");
    }
}
