package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Editors and operators fetch the schema from a running Plugboard without signing in. */
@PlugboardTest
class ConnectorSchemaEndpointIT {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void theSchemaIsServedPubliclyAndCacheable() throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/connectors/schema.json"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/schema+json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(
                cache -> assertThat(cache).contains("max-age=").contains("public"));
        try (InputStream file = getClass().getClassLoader().getResourceAsStream(ConnectorSchemaTest.SCHEMA)) {
            assertThat(response.body()).as("the file in the repository, byte for byte").isEqualTo(file.readAllBytes());
        }

        String etag = response.headers().firstValue("ETag").orElseThrow();
        var again = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/connectors/schema.json"))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(again.statusCode()).isEqualTo(304);
    }
}
