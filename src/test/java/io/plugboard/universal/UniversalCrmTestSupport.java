package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the tests of the Universal CRM API against a stood-in CRM share: the provider's documented answers kept in
 * stub files, and requests to the API with the tenant's token and a credential.
 */
abstract class UniversalCrmTestSupport extends ProxyTestSupport {

    static final String CRM = "/api/v1/universal/crm";

    /** The credential the test's requests use unless they name another. */
    protected String credentialId;

    static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /**
     * The documented answer in {@code universal/<crm>/<file>}: its {@code response} member ({@code _source} names
     * the pages it comes from).
     */
    static String stub(String crm, String file) {
        try (InputStream in = UniversalCrmTestSupport.class.getResourceAsStream("/universal/" + crm + "/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<byte[]> universal(String method, String path, @Nullable String json) {
        return universal(jwt(), credentialId, method, path, json);
    }

    HttpResponse<byte[]> universal(String token, @Nullable String credential, String method, String path,
                                   @Nullable String json) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (credential != null) {
            builder.header("X-Credential-Id", credential);
        }
        return send(builder.build());
    }
}
