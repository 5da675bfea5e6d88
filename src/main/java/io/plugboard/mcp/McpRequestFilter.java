package io.plugboard.mcp;

import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refusals the SDK's transport would send as bare status codes through the container's error page, answered here
 * as {@code application/problem+json} like every other API refusal: a method other than POST (the server is
 * stateless: no stream to GET, no session to DELETE) and a browser Origin that may not call it. Runs after the API
 * chain has authenticated the request.
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
        chain.doFilter(request, response);
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
