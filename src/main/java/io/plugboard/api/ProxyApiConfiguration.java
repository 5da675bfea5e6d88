package io.plugboard.api;

import io.micrometer.observation.ObservationRegistry;
import io.plugboard.proxy.ProxyProperties;
import io.plugboard.proxy.ProxyService;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/** Maps {@link ProxyApi} under {@code /api/v1/proxy/} and describes it in the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class ProxyApiConfiguration {

    @Bean
    ServletRegistrationBean<ProxyApi> proxyApi(ProxyService proxy, ProxyProperties properties, ApiTenant tenant) {
        var registration = new ServletRegistrationBean<>(new ProxyApi(proxy, properties, tenant), ProxyApi.PREFIX + "/*");
        registration.setName("proxyApi");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Spring Boot's HTTP server observation filter (it steps back for this bean), left out of proxied requests: the
     * call log measures each one (status, latency, bytes; the dashboard's tiles and charts) and
     * {@code plugboard.proxy.calls} times them. Observing them cost about 6% of a call's CPU; a predicate that turned
     * the observation into a no-op still built its context for every call. Other requests are observed as before,
     * under the name and convention Boot would use.
     */
    @Bean
    FilterRegistrationBean<ServerHttpObservationFilter> serverObservationFilter(ObservationRegistry registry,
            ObjectProvider<ServerRequestObservationConvention> customConvention, ObservationProperties properties) {
        String name = properties.getHttp().getServer().getRequests().getName();
        var filter = new ServerHttpObservationFilter(registry,
                customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name))) {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return request.getRequestURI().startsWith(request.getContextPath() + ProxyApi.PREFIX + "/");
            }
        };
        var registration = new FilterRegistrationBean<ServerHttpObservationFilter>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }

    /** The servlet is not a controller, so the document gets its operations from here. */
    @Bean
    OpenApiCustomizer proxyApiDocs() {
        return openApi -> {
            var item = new PathItem();
            for (PathItem.HttpMethod method : List.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.HEAD,
                    PathItem.HttpMethod.POST, PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH,
                    PathItem.HttpMethod.DELETE, PathItem.HttpMethod.OPTIONS)) {
                item.operation(method, new Operation()
                        .operationId("proxy" + method.name().charAt(0) + method.name().substring(1).toLowerCase())
                        .addTagsItem("Proxy")
                        .summary("Call the provider's API through a credential; method, path, query, headers and body "
                                + "are passed on")
                        .addParametersItem(new Parameter().in("path").name("path").required(true)
                                .schema(new StringSchema()).description("the provider's API path, after its base URL"))
                        .addParametersItem(new Parameter().in("header").name("X-Credential-Id").required(true)
                                .schema(new StringSchema()).description("cred_…"))
                        .addParametersItem(new Parameter().in("header").name("X-Plugboard-Retries")
                                .schema(new StringSchema()).description(
                                        "retries for idempotent calls on 429/502/503/504 and connection errors"))
                        .responses(new ApiResponses()
                                .addApiResponse("default", new ApiResponse().description(
                                        "the provider's answer, or a problem document (400, 404, 409, 413, 502, 504; "
                                                + "429 or 503 with Retry-After when too many calls are in flight)"))));
            }
            openApi.path(ProxyApi.PREFIX + "/{path}", item);
        };
    }
}
