package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sends and how it reads answers that are not the application's usual ones. */
class HttpTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization").split("\\.").length);
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.endsWith("/connectors")) {
                body = "{\"items\":[{\"appKey\":\"roller\",\"enabled\":true}]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
            } else if (path.startsWith("/api/v1/custom-connectors/")) {
                String query = exchange.getRequestURI().getQuery();
                body = query != null ? new byte[0] : """
                        {"type":"https://plugboard.dev/problems/secrets-would-be-stranded","status":409,
                         "detail":"Confirm.","credentialsNeedingReconnect":2,"oauthAppSecretCleared":true,
                         "secretSettingsCleared":false}""".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(query != null ? 204 : 409, query != null ? -1 : body.length);
            } else if (path.endsWith("/audit/events")) {
                String query = exchange.getRequestURI().getQuery();
                String events = query.contains("cursor=2") ? "[" + auditEvent(3) + "]"
                        : query.contains("cursor=") ? "[" + auditEvent(1) + "," + auditEvent(2) + "]" : "[]";
                String next = query.contains("cursor=2") ? "3" : "2";
                body = ("{\"items\":" + events + ",\"nextCursor\":\"" + next + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
            } else if (path.endsWith("/credentials")) {
                body = """
                        {"type":"https://plugboard.dev/problems/rate-limited","title":"Too Many Requests","status":429,
                         "detail":"Slow down.","limit":200}""".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().add("Retry-After", "7");
                exchange.sendResponseHeaders(429, body.length);
            } else {
                body = "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(502, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PlugboardClient client(String baseUrl) {
        return PlugboardClient.builder().baseUrl(baseUrl).clientId("pb").clientSecret("s".repeat(64)).build();
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() {
        assertThat(client(base + "/plugboard/").connectors().list()).extracting(Connector::appKey).containsExactly("roller");

        assertThat(requests).containsExactly("GET /plugboard/api/v1/connectors 3");
    }

    @Test
    void aProblemsMembersAndRetryAfterAreKept() {
        assertThatThrownBy(() -> client(base).credentials().list(CredentialQuery.all()))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.problemType()).isEqualTo("rate-limited");
                    assertThat(e.retryAfterSeconds()).contains(7L);
                    assertThat(e.properties()).containsEntry("limit", 200);
                    assertThat(e.field()).isEmpty();
                    assertThat(e.getMessage()).isEqualTo("HTTP 429 Too Many Requests: Slow down.");
                });
    }

    @Test
    void anAnswerThatIsNoProblemDocumentStillBecomesAnException() {
        assertThatThrownBy(() -> client(base).connectSessions().get("cs_1"))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.type()).isNull();
                    assertThat(e.problemType()).isNull();
                    assertThat(e.getMessage()).isEqualTo("HTTP 502");
                });
    }

    @Test
    void aProvidersOwnErrorThroughTheProxyIsAnAnswer() {
        ProxyResponse response = client(base).proxy("cred_1").get("/people");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyAsString()).contains("Bad gateway");
        assertThat(requests).containsExactly("GET /api/v1/proxy/people 3");
    }

    @Test
    void aChangeThatWouldStrandSecretsIsTypedAndItsCountConfirmsIt() {
        PlugboardClient client = client(base);

        assertThatThrownBy(() -> client.customConnectors().delete("my-crm"))
                .isInstanceOfSatisfying(SecretsWouldBeStrandedException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.credentialsNeedingReconnect()).isEqualTo(2);
                    assertThat(e.oauthAppSecretCleared()).isTrue();
                    assertThat(e.secretSettingsCleared()).isFalse();
                });
        client.customConnectors().delete("my-crm", 2);

        assertThat(requests).containsExactly("DELETE /api/v1/custom-connectors/my-crm 3",
                "DELETE /api/v1/custom-connectors/my-crm?strandCredentials=2 3");
    }

    @Test
    void theAuditStreamStopsOnceCaughtUpAlthoughTheNextCursorIsAlwaysSet() {
        assertThat(client(base).auditEvents().stream("0", null, 2).map(AuditEvents.AuditEvent::chainIndex))
                .containsExactly(1L, 2L, 3L);

        assertThat(requests).containsExactly("GET /api/v1/audit/events?cursor=0&limit=2 3",
                "GET /api/v1/audit/events?cursor=2&limit=2 3");
    }

    private static String auditEvent(long chainIndex) {
        return "{\"seq\":" + (100 + chainIndex) + ",\"chainIndex\":" + chainIndex + ",\"action\":\"a\"}";
    }
}
