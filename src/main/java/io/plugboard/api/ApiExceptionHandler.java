package io.plugboard.api;

import io.plugboard.common.DatabaseUnavailable;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.credential.FirstTokenException;
import io.plugboard.proxy.ProxyException;
import io.plugboard.sync.sqlaccess.SqlLoginsUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Every failure of an API request as problem+json naming what to fix; nothing internal leaks. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return Problems.invalid(e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    /** The server is not set up for SQL logins (its owner role lacks CREATEROLE): asking again will not help. */
    @ExceptionHandler(SqlLoginsUnavailableException.class)
    ProblemDetail sqlLoginsUnavailable(SqlLoginsUnavailableException e) {
        return Problems.of(HttpStatus.NOT_IMPLEMENTED, "sql-logins-unavailable", e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This token may not do that.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.invalid(e.getName() + ": has an invalid value");
    }

    @ExceptionHandler(ApiBodyLimitFilter.BodyTooLargeException.class)
    ProblemDetail tooLarge(ApiBodyLimitFilter.BodyTooLargeException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage());
    }

    @ExceptionHandler(ProxyException.class)
    ProblemDetail proxy(ProxyException e) {
        return Problems.of(HttpStatus.valueOf(e.status()), e.type(), e.getMessage());
    }

    /**
     * An imported client-credentials credential whose provider issued no first token; nothing was stored. Refused
     * with an OAuth error (invalid_client...): 422, the request was well formed but its client ID and secret do not
     * work at the provider (400 here means a malformed field; 401/403 would say the caller's own token is wrong).
     * Otherwise the token endpoint failed or could not be reached: 503, the same request may work later.
     */
    @ExceptionHandler(FirstTokenException.class)
    ProblemDetail firstToken(FirstTokenException e) {
        if (!e.refused()) {
            return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "token-endpoint-unavailable", e.getMessage());
        }
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "client-credentials-refused",
                e.getMessage());
        problem.setProperty("error", e.errorCode());
        return problem;
    }

    /** Tomcat could not decode a query parameter (invalid percent-encoding or UTF-8: %FF, %C0%80, %ED%A0%80). */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e) {
        return Problems.invalid("query: a parameter is not valid percent-encoded UTF-8");
    }

    /** Spring Security's firewall checks header values when they are read, which may be in a controller. */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejected(RequestRejectedException e) {
        return ApiContainerErrors.rejected();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseUnavailable.causedBy(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, DatabaseUnavailableFilter.retryAfter())
                    .body(DatabaseUnavailableFilter.problem(request, e));
        }
        log.error("Unexpected API failure", e);
        return ResponseEntity.internalServerError()
                .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side."));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Jackson wraps the limit's exception (with the path it was reading), and a request record's own
        // validation (which names the field), so look at the whole chain first.
        for (Throwable c = ex.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ApiBodyLimitFilter.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge));
            }
            if (c instanceof InvalidRequestException invalid) {
                return ResponseEntity.badRequest().body(invalid(invalid));
            }
        }
        Throwable cause = ex.getCause();
        while (cause != null && !(cause instanceof JacksonException)) {
            cause = cause.getCause();
        }
        ProblemDetail problem;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String path = path((JacksonException) cause);
            problem = Problems.invalid((path.isEmpty() ? unknown.getPropertyName() : path)
                    + ": is not a known field");
        } else if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
            problem = Problems.invalid(path(json) + ": has the wrong type or format");
        } else if (cause instanceof JacksonException) {
            problem = Problems.invalid("body: is not valid JSON");
        } else {
            problem = Problems.invalid("body: a JSON body is required");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    private static String path(JacksonException e) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
