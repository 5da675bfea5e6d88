package io.plugboard.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem documents, for filters that answer before any controller runs. */
final class Problems {

    static final String TYPE_BASE = "https://plugboard.dev/problems/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    static ProblemDetail of(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        return problem;
    }

    /** "field: message" becomes a problem with a {@code field} member, so clients can point at the input. */
    static ProblemDetail invalid(String message) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "invalid-request", message);
        String field = fieldOf(message);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    static @Nullable String fieldOf(String message) {
        int colon = message.indexOf(": ");
        if (colon > 0 && message.substring(0, colon).matches("[A-Za-z][A-Za-z0-9_.\\[\\]-]*")) {
            return message.substring(0, colon);
        }
        return null;
    }

    static void write(HttpServletResponse response, ProblemDetail problem, Map<String, String> headers)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        headers.forEach(response::setHeader);
        response.getOutputStream().write(json(problem));
    }

    /** The document as UTF-8 JSON, for writers outside Spring MVC (filters, the container's error valve). */
    static byte[] json(ProblemDetail problem) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return JSON.writeValueAsBytes(body);
    }
}
