package io.plugboard.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Refusals that happen before any controller, answered as problem+json for {@code /api/**}: Tomcat's own
 * (through {@link ApiErrorReportValve}) and Spring Security's firewall (encoded {@code %}, {@code ;}, {@code //},
 * dot segments, non-printable characters in the path). Portal paths keep the usual 400.
 */
@Configuration(proxyBeanMethods = false)
class ApiContainerErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiErrorReportValve() {
        // The host creates its error report valve when it starts, after every context customizer: this one is
        // then the innermost and reports first, whatever other valves Boot has added.
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ApiErrorReportValve.class.getName());
            }
        });
    }

    @Bean
    RequestRejectedHandler apiRequestRejectedHandler() {
        var portal = new HttpStatusRequestRejectedHandler();
        return new RequestRejectedHandler() {
            @Override
            public void handle(HttpServletRequest request, HttpServletResponse response,
                               RequestRejectedException rejected) throws IOException {
                String uri = request.getRequestURI();
                if (uri == null || !(uri.equals("/api") || uri.startsWith("/api/"))) {
                    portal.handle(request, response, rejected);
                    return;
                }
                Problems.write(response, rejected(), Map.of());
            }
        };
    }

    /** The firewall's refusal; it checks the path up front and header values when they are read. */
    static ProblemDetail rejected() {
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "The URL or a header holds characters or "
                + "sequences that are not allowed (encoded '%', '/' or '\\', ';', '//', dot segments, control or "
                + "non-ASCII characters in headers).");
    }
}
