package io.plugboard.mcp;

import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Refusals the SDK's transport would send as bare status codes through the container's error page, answered here
 * as {@code application/problem+json} like every other API refusal: a method other than POST (the server is
 * stateless: no stream to GET, no session to DELETE) and a browser Origin that may not call it. Runs after the API
 * chain has authenticated the request.
 *
 * <p>It also keeps the server's insides in: for a message that is no JSON-RPC request (not JSON, or not a message,
 * or parameters of the wrong shape) the SDK's transport writes its exception object whole, stack trace and class
 * names included. Such an answer is replaced by the JSON-RPC error it stands for, its code and a plain message.
 * The stateless transport answers with one JSON document, never a stream, so the answer can be held and looked at.
 */
final class McpRequestFilter extends OncePerRequestFilter {

    private final ServerTransportSecurityValidator origins;

    McpRequestFilter(ServerTransportSecurityValidator origins) {
        this.origins = origins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!request.getMethod().equals("POST")) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
            problem(response, 405, "method-not-allowed", request.getMethod()
                    + " is not allowed here: MCP messages are POSTed, and this server keeps no sessions or streams.");
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            try {
                origins.validateHeaders(Map.of(HttpHeaders.ORIGIN, List.of(origin)));
            } catch (ServerTransportSecurityException e) {
                problem(response, e.getStatusCode(), "forbidden", e.getMessage());
                return;
            }
        }
        var held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        byte[] body = held.getContentAsByteArray();
        JsonNode error = exceptionObject(body);
        if (error != null) {
            held.resetBuffer();
            held.getOutputStream().write(McpConfiguration.JSON.writeValueAsBytes(jsonRpcError(error)));
        }
        held.copyBodyToResponse();
    }

    /** The SDK's exception object when that is what the answer holds ({@code jsonRpcError} beside a stack trace). */
    private static @Nullable JsonNode exceptionObject(byte[] body) {
        if (body.length == 0 || body[0] != '{' || !new String(body, 0, Math.min(body.length, 32),
                StandardCharsets.UTF_8).startsWith("{\"jsonRpcError\"")) {
            return null;
        }
        try {
            return McpConfiguration.JSON.readTree(body).path("jsonRpcError");
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Map<String, Object> jsonRpcError(JsonNode error) {
        int code = error.path("code").asInt(-32603);
        // The SDK's own message can name its classes (a failed binding of the parameters): say only what it means.
        String message = switch (code) {
            case -32700 -> "Parse error: the message is not JSON";
            case -32600 -> "Invalid request: not a JSON-RPC 2.0 message";
            case -32601 -> "Method not found";
            case -32602 -> "Invalid params";
            default -> "The message could not be handled: check the method's parameters";
        };
        var answer = new LinkedHashMap<String, Object>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", null);
        answer.put("error", Map.of("code", code, "message", message));
        return answer;
    }

    private static void problem(HttpServletResponse response, int status, String type, String detail)
            throws IOException {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", ToolFailure.TYPE_BASE + type);
        body.put("title", status == 405 ? "Method Not Allowed" : "Forbidden");
        body.put("status", status);
        body.put("detail", detail);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(McpConfiguration.JSON.writeValueAsBytes(body));
    }
}
