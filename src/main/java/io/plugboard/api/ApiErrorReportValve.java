package io.plugboard.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report for requests it refuses before the application sees them: an unreadable request line
 * or URL (NUL, encoded {@code /} or {@code \}, bad percent-encodings), a request line or headers over the size
 * limit, {@code TRACE}. For {@code /api/} paths, and for requests too broken to have a path, the answer is a
 * problem document like every other API answer; portal paths keep Tomcat's (bare) page.
 *
 * <p>Tomcat refuses some of these after mapping the request (TRACE): it would then forward to the
 * application's error page (Boot's JSON), so those are answered here before the host passes the request on.
 * Installed as the host's error report valve by {@link ApiContainerErrors}; public with a no-argument
 * constructor because Tomcat creates it by name.
 */
public class ApiErrorReportValve extends ErrorReportValve {

    public ApiErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
        if (response.isErrorReportRequired() && api(request)) {
            response.setSuspended(false);
            problem(request, response);
            return;
        }
        super.invoke(request, response);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (!api(request)) {
            super.report(request, response, throwable);
            return;
        }
        try {
            problem(request, response);
        } catch (IOException e) {
            // The client is gone; there is no one left to tell.
        }
    }

    private static void problem(Request request, Response response) throws IOException {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        var problem = Problems.of(known == null ? HttpStatus.BAD_REQUEST : known, type(status), detail(request, status));
        problem.setStatus(status);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        } catch (IllegalStateException e) {
            // Headers already sent: nothing more can be said.
            return;
        }
        Writer writer = response.getReporter();
        if (writer != null) {
            writer.write(new String(Problems.json(problem), StandardCharsets.UTF_8));
            response.finishResponse();
        }
    }

    /** An API path, or a request so malformed that Tomcat could not read a path from it at all. */
    private static boolean api(Request request) {
        String uri = request.getRequestURI();
        return uri == null || uri.isEmpty() || uri.equals("/api") || uri.startsWith("/api/");
    }

    private static String type(int status) {
        return switch (status) {
            case 405 -> "method-not-allowed";
            case 413 -> "body-too-large";
            case 414, 431 -> "request-too-large";
            case 501 -> "not-implemented";
            default -> "malformed-request";
        };
    }

    private static String detail(Request request, int status) {
        return switch (status) {
            case 405 -> request.getMethod() + " is not allowed here.";
            case 413 -> "The request body is too large.";
            case 414, 431 -> "The request line or headers are too large.";
            case 501 -> "The request method or transfer coding is not supported.";
            case 505 -> "Only HTTP/1.1 and HTTP/2 are supported.";
            default -> "The request could not be read: the request line or headers are too long or malformed, or "
                    + "the URL holds characters or encodings that are not allowed (NUL, encoded '/', '\\' or '%', "
                    + "invalid percent-encodings).";
        };
    }
}
