package io.plugboard.api;

import io.plugboard.proxy.CallSource;
import io.plugboard.proxy.ProxyException;
import io.plugboard.proxy.ProxyProperties;
import io.plugboard.proxy.ProxyRequest;
import io.plugboard.proxy.ProxyService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** {@code ANY /api/v1/proxy/{path}} with {@code X-Credential-Id}: the call goes to the credential's provider. */
@RestController
@Tag(name = "Proxy")
class ProxyApi {

    static final String PREFIX = "/api/v1/proxy";

    private final ProxyService proxy;
    private final ProxyProperties properties;
    private final ApiTenant tenant;

    ProxyApi(ProxyService proxy, ProxyProperties properties, ApiTenant tenant) {
        this.proxy = proxy;
        this.properties = properties;
        this.tenant = tenant;
    }

    // Methods named explicitly: a mapping without methods does not match OPTIONS (Spring MVC answers it itself).
    @RequestMapping(path = PREFIX + "/**", method = {RequestMethod.GET, RequestMethod.HEAD, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS})
    @Operation(summary = "Call the provider's API through a credential; method, path, query, headers and body are passed on",
            parameters = {
                @Parameter(name = "X-Credential-Id", in = ParameterIn.HEADER, required = true, description = "cred_…"),
                @Parameter(name = "X-Plugboard-Retries", in = ParameterIn.HEADER,
                        description = "retries for idempotent calls on 429/502/503/504 and connection errors")})
    void proxy(HttpServletRequest request, HttpServletResponse response) {
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
        var call = new ProxyRequest(request.getMethod(), path, request.getQueryString(), headers(request),
                body(request), retries(request.getHeader("X-Plugboard-Retries")), CallSource.API,
                "api:" + principal.subject());
        proxy.forward(principal.tenantId(), credentialId.strip(), call, requestId, (status, headers, length) -> {
            response.setStatus(status);
            headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            OutputStream out = response.getOutputStream();
            return out;
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
