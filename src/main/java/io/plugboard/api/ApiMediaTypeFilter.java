package io.plugboard.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies of the API are JSON (custom connector definitions may also be YAML, a logo an image): a POST, PUT or PATCH that declares another media type, a wildcard
 * ({@code *}{@code /*}, {@code application/*}) or an unreadable one answers 415 before anything tries to read it.
 * (A wildcard Content-Type used to reach the message converters, which refuse it with an exception: a 500.)
 */
class ApiMediaTypeFilter extends OncePerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final MediaType JSON_SUFFIX = MediaType.valueOf("application/*+json");
    private static final MediaType YAML = MediaType.valueOf(CustomConnectorsApi.YAML);
    private static final String CUSTOM_CONNECTORS = "/api/v1/custom-connectors";

    /** The proxy passes any body on to the provider untouched. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WITH_BODY.contains(request.getMethod())
                || request.getRequestURI().startsWith(request.getContextPath() + ProxyApi.PREFIX + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (header != null && !json(header) && !(yaml(header) && request.getRequestURI()
                .startsWith(request.getContextPath() + CUSTOM_CONNECTORS))
                && !(image(header) && request.getRequestURI().equals(request.getContextPath() + BrandApi.LOGO))) {
            Problems.write(response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Send the request body as application/json."), Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    /** A logo is sent as its bytes; the declared type is not trusted (the bytes are checked), but must be one. */
    private static boolean image(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return !type.isWildcardSubtype() && ("image".equals(type.getType())
                    || MediaType.APPLICATION_OCTET_STREAM.equalsTypeAndSubtype(type));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** Connector definitions are written as YAML files too; they alone may be sent as such. */
    private static boolean yaml(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return YAML.equalsTypeAndSubtype(type);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static boolean json(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return !type.isWildcardType() && !type.isWildcardSubtype()
                    && (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type) || JSON_SUFFIX.includes(type));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
