package io.plugboard.client;

import java.util.Map;
import java.util.Optional;

/**
 * An answer of Plugboard's own that is not a success: an {@code application/problem+json} document (RFC 9457) with
 * the members the API uses, or, when the body was not one (a proxy in front of Plugboard, say), the status alone.
 *
 * <p>{@code type} is a URI such as {@code https://plugboard.dev/problems/invalid-request}; {@link #problemType()} is
 * its last segment. {@code field} names the input that was refused ({@code metadata.venue}), {@code rule} the token
 * check that failed on a {@code 401}; {@code requestId} is the proxy's {@code X-Plugboard-Request-Id} when there was
 * one.
 */
public class PlugboardApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String field;
    private final String rule;
    private final String requestId;
    private final Long retryAfterSeconds;
    private final Map<String, Object> properties;

    PlugboardApiException(int status, String type, String title, String detail, String field, String rule,
                          String requestId, Long retryAfterSeconds, Map<String, Object> properties) {
        super(message(status, title, detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.field = field;
        this.rule = rule;
        this.requestId = requestId;
        this.retryAfterSeconds = retryAfterSeconds;
        this.properties = Map.copyOf(properties);
    }

    private static String message(int status, String title, String detail) {
        return "HTTP " + status + (title == null ? "" : " " + title) + (detail == null ? "" : ": " + detail);
    }

    public int status() {
        return status;
    }

    /** The problem type URI, or null when the answer was not a problem document. */
    public String type() {
        return type;
    }

    /** The last segment of {@link #type()}: {@code invalid-request}, {@code not-found}, {@code refresh_failed}. */
    public String problemType() {
        return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The {@code Retry-After} of a {@code 429} or {@code 503}, in seconds. */
    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }

    /** Every member of the problem document, the standard ones included. */
    public Map<String, Object> properties() {
        return properties;
    }
}
