package io.plugboard.api;

import io.plugboard.common.DatabaseUnavailable;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.proxy.CallSource;
import io.plugboard.proxy.ProxyBusyException;
import io.plugboard.proxy.ProxyException;
import io.plugboard.proxy.ProxyProperties;
import io.plugboard.proxy.ProxyRequest;
import io.plugboard.proxy.ProxyService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * {@code ANY /api/v1/proxy/{path}} with {@code X-Credential-Id}: the call goes to the credential's provider.
 *
 * <p>A plain servlet rather than a controller: Spring MVC's dispatch (handler lookup, argument resolution,
 * request attributes, events) was a tenth of a proxied call's CPU and added nothing to it. The API's security
 * filter chain (token, body limit, rate limit, role) applies to this path as to every {@code /api/**} path;
 * {@link ProxyApiConfiguration} maps and documents it.
 */
class ProxyApi extends HttpServlet {

    static final String PREFIX = "/api/v1/proxy";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Logger log = LoggerFactory.getLogger(ProxyApi.class);

    private final ProxyService proxy;
    private final ProxyProperties properties;
    private final ApiTenant tenant;

    ProxyApi(ProxyService proxy, ProxyProperties properties, ApiTenant tenant) {
        this.proxy = proxy;
        this.properties = properties;
        this.tenant = tenant;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!METHODS.contains(request.getMethod())) {
                response.setHeader("Allow", String.join(", ", new TreeSet<>(METHODS)));
                throw new ProxyException(405, "method-not-allowed", request.getMethod() + " cannot be proxied.");
            }
            proxy(request, response);
        } catch (ProxyBusyException e) {
            problem(response, Problems.of(HttpStatus.valueOf(e.status()), e.type(), e.getMessage()),
                    Map.of("Retry-After", String.valueOf(e.retryAfterSeconds())));
        } catch (ProxyException e) {
            problem(response, Problems.of(HttpStatus.valueOf(e.status()), e.type(), e.getMessage()));
        } catch (InvalidRequestException e) {
            problem(response, Problems.invalid(e.getMessage()));
        } catch (NotFoundException e) {
            problem(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage()));
        } catch (AccessDeniedException e) {
            problem(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This token may not do that."));
        } catch (RequestRejectedException e) {
            // The firewall checks header values when they are read, which is here.
            problem(response, ApiContainerErrors.rejected());
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causedBy(e)) {
                // Before the provider was called (the credential could not be read) or after (its use not recorded).
                problem(response, DatabaseUnavailableFilter.problem(request, e),
                        Map.of(HttpHeaders.RETRY_AFTER, DatabaseUnavailableFilter.retryAfter()));
                return;
            }
            log.error("Proxied call failed", e);
            problem(response, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side."));
        }
    }

    private static void problem(HttpServletResponse response, ProblemDetail problem) throws IOException {
        problem(response, problem, Map.of());
    }

    private static void problem(HttpServletResponse response, ProblemDetail problem, Map<String, String> headers)
            throws IOException {
        if (response.isCommitted()) {
            // The provider's answer has begun: all the caller can be told is that it ends early.
            return;
        }
        response.resetBuffer();
        Problems.write(response, problem, headers);
    }

    private void proxy(HttpServletRequest request, HttpServletResponse response) {
        String requestId = request.getAttribute(ProxyRequestIdFilter.ATTRIBUTE) instanceof String id
                ? id : ProxyService.newRequestId();
        response.setHeader(ProxyRequestIdFilter.HEADER, requestId);
        String credentialId = request.getHeader("X-Credential-Id");
        if (credentialId == null || credentialId.isBlank()) {
            throw new ProxyException(400, "missing-credential", "Send the credential to use in the X-Credential-Id header.");
        }
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String path = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "/";
        var principal = tenant.principal();
        String actor = "api:" + principal.subject();
        int retries;
        try {
            retries = retries(request.getHeader("X-Plugboard-Retries"));
        } catch (ProxyException e) {
            // Refused here rather than in the proxy, but a call through the credential all the same: it is logged.
            throw proxy.refused(principal.tenantId(), credentialId.strip(), new ProxyRequest(request.getMethod(), path,
                    request.getQueryString(), Map.of(), null, 0, CallSource.API, actor), requestId, e);
        }
        var call = new ProxyRequest(request.getMethod(), path, request.getQueryString(), headers(request),
                body(request), retries, CallSource.API, actor);
        proxy.forward(principal.tenantId(), credentialId.strip(), call, requestId, (status, headers, length) -> {
            response.setStatus(status);
            headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            return response.getOutputStream();
        });
    }

    private int retries(String header) {
        if (header == null || header.isBlank()) {
            return properties.defaultRetries();
        }
        try {
            int value = Integer.parseInt(header.strip());
            if (value >= 0 && value <= properties.maxRetries()) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ProxyException(400, "invalid-retries", "X-Plugboard-Retries must be a number from 0 to "
                + properties.maxRetries() + ".");
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        var headers = new LinkedHashMap<String, List<String>>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        return headers;
    }

    private static ProxyRequest.Body body(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (length <= 0 && !chunked) {
            return null;
        }
        return new ProxyRequest.Body() {
            @Override
            public long length() {
                return chunked ? -1 : length;
            }

            @Override
            public InputStream open() throws java.io.IOException {
                return request.getInputStream();
            }
        };
    }
}
