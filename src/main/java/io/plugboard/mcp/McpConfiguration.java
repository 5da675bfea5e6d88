package io.plugboard.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server at {@code /mcp}: the SDK's streamable-HTTP transport as a plain servlet behind the REST API's
 * security filter chain (bearer JWT, rate limit, body limit). Stateless: each POST carries its token and is answered
 * in full, with no session kept in an instance's memory, so any instance behind the load balancer answers any
 * message and a restart loses nothing.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

    static final String PATH = "/mcp";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final McpJsonMapper MCP_JSON = new JacksonMcpJsonMapper(JSON);

    /**
     * Browsers send an Origin header, MCP clients outside a browser do not. A page elsewhere (DNS rebinding
     * included) must not reach the server through a browser, so an Origin is accepted only when it is Plugboard's
     * own public address or one the operator allowed.
     */
    @Bean
    ServerTransportSecurityValidator mcpOrigins(@Value("${plugboard.public-url}") String publicUrl,
                                                @Value("${plugboard.mcp.allowed-origins:}") List<String> allowedOrigins) {
        var origins = new ArrayList<String>();
        origins.add(origin(publicUrl));
        allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).forEach(origins::add);
        var check = DefaultServerTransportSecurityValidator.builder().allowedOrigins(origins).build();
        return headers -> {
            try {
                check.validateHeaders(headers);
            } catch (ServerTransportSecurityException e) {
                throw new ServerTransportSecurityException(e.getStatusCode(), "Origin: a web page of this origin may "
                        + "not call the MCP server; the operator can allow it with PLUGBOARD_MCP_ALLOWED_ORIGINS.");
            }
        };
    }

    /** The transport checks the Origin too, so the server never answers a foreign page whatever runs before it. */
    @Bean
    HttpServletStatelessServerTransport mcpTransport(ServerTransportSecurityValidator mcpOrigins) {
        return HttpServletStatelessServerTransport.builder()
                .jsonMapper(MCP_JSON)
                .messageEndpoint(PATH)
                .contextExtractor(McpCaller::capture)
                .securityValidator(mcpOrigins)
                .build();
    }

    @Bean
    ServletRegistrationBean<HttpServletStatelessServerTransport> mcpServlet(HttpServletStatelessServerTransport transport) {
        var registration = new ServletRegistrationBean<>(transport, PATH);
        registration.setName("mcp");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** After Spring Security's filters (this registration's default order), so a request without a token is a 401. */
    @Bean
    FilterRegistrationBean<McpRequestFilter> mcpRequestFilter(ServerTransportSecurityValidator mcpOrigins) {
        var registration = new FilterRegistrationBean<>(new McpRequestFilter(mcpOrigins));
        registration.addUrlPatterns(PATH);
        return registration;
    }

    /** Tools run on the request's own thread (immediate execution), inside its security context and tracing. */
    @Bean(destroyMethod = "close")
    McpStatelessSyncServer mcpServer(HttpServletStatelessServerTransport transport, CrmTools tools) {
        return McpServer.sync(transport)
                .serverInfo("plugboard", Objects.requireNonNullElse(
                        McpConfiguration.class.getPackage().getImplementationVersion(), "development"))
                .instructions("Plugboard's Universal CRM API: the same tools and person model whatever CRM "
                        + "(Follow Up Boss, HubSpot, Salesforce, ...) a connection is for. Start with "
                        + CrmTools.LIST_CREDENTIALS + " and pass a connection's id as credentialId.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(MCP_JSON)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(JSON))
                .immediateExecution(true)
                .tools(tools.specifications(MCP_JSON))
                .build();
    }

    /** scheme://host[:port], as a browser sends it in Origin. */
    static String origin(String url) {
        URI uri = URI.create(url.strip());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
