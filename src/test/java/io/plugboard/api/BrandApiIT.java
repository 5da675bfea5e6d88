package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The brand API and the public logo path over real HTTP: refusals of bad colours, types and sizes as problem+json,
 * logos served inert, and each tenant confined to its own brand and logo.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrandApiIT {

    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" "
            + "onload=\"alert(1)\"><script>alert(2)</script><rect width=\"10\" height=\"10\" fill=\"#0a7\"/></svg>";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestApi api;
    private TestTenant a;
    private TestTenant b;

    @BeforeAll
    void tenants() {
        api = new TestApi(port);
        a = TestTenants.create(context, "brand-a");
        b = TestTenants.create(context, "brand-b");
    }

    @Test
    void aColourWhiteTextCannotBeReadOnIsRefusedWithItsRatio() {
        var refused = api.send("PUT", "/api/v1/brand", token(a), json(Map.of("primaryColor", "#ffcc00")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("detail").asString()).contains("4.5:1").contains(":1");

        var saved = api.send("PUT", "/api/v1/brand", token(a), json(Map.of("displayName", "Acme CRM",
                "primaryColor", "#0B5CAD", "supportEmail", "help@acme.example", "poweredBy", false)));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().path("primaryColor").asString()).isEqualTo("#0b5cad");
        assertThat(saved.json().path("poweredBy").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/brand", token(a)).json().path("displayName").asString()).isEqualTo("Acme CRM");
        Integer audited = jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'tenant.brand.updated'"
                + " AND tenant_id = ?", Integer.class, a.id());
        assertThat(audited).isPositive();
    }

    @Test
    void theChooserTextHasATranslationPerLanguageTheConnectPageSpeaks() {
        TestTenant tenant = TestTenants.create(context, "brand-texts");
        var saved = api.send("PUT", "/api/v1/brand", token(tenant), json(Map.of("chooserText", "We read your contacts.",
                "chooserTexts", Map.of("de", "Wir lesen Ihre Kontakte.", "fr", "  ", "es", "Leemos sus contactos."))));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        // A blank translation is no translation: French pages show the default text.
        assertThat(saved.json().path("chooserTexts").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("de", "es");
        assertThat(api.get("/api/v1/brand", token(tenant)).json().path("chooserTexts").path("de").asString())
                .isEqualTo("Wir lesen Ihre Kontakte.");

        for (var refused : java.util.List.of(Map.of("it", "Leggiamo i tuoi contatti."), Map.of("de-AT", "Servus"),
                Map.of("de", "x".repeat(501)), Map.of("de", "Zeile\u0000"))) {
            var answer = api.send("PUT", "/api/v1/brand", token(tenant), json(Map.of("chooserTexts", refused)));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("detail").asString()).startsWith("chooserTexts");
        }
        // A refused change leaves the saved translations as they were.
        assertThat(api.get("/api/v1/brand", token(tenant)).json().path("chooserTexts").path("es").asString())
                .isEqualTo("Leemos sus contactos.");

        // Leaving chooserTexts out clears them, as every other field of the PUT.
        var cleared = api.send("PUT", "/api/v1/brand", token(tenant), json(Map.of("chooserText", "Only English")));
        assertThat(cleared.json().path("chooserTexts").isEmpty()).isTrue();
        Integer rows = jdbc.queryForObject("SELECT count(*) FROM tenant_brand_texts WHERE tenant_id = ?", Integer.class,
                tenant.id());
        assertThat(rows).isZero();
    }

    @Test
    void logosOfTheWrongTypeOrSizeAreRefused() {
        byte[] gif = image("gif", 8, 8);
        assertThat(upload(a, gif, "image/png").statusCode()).isEqualTo(400);
        byte[] html = "<html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(a, html, "image/svg+xml").statusCode()).isEqualTo(400);
        byte[] big = new byte[300 * 1024];
        byte[] png = image("png", 8, 8);
        System.arraycopy(png, 0, big, 0, png.length);
        var tooBig = upload(a, big, "image/png");
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(new String(tooBig.body(), StandardCharsets.UTF_8)).contains("at most 256 KB");
        assertThat(upload(a, png, "text/html").statusCode()).isEqualTo(415);
        String doctype = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg "
                + "xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>";
        assertThat(upload(a, doctype.getBytes(StandardCharsets.UTF_8), "image/svg+xml").statusCode()).isEqualTo(400);
    }

    @Test
    void anSvgLogoIsStoredSanitisedAndServedInertToAnyone() throws Exception {
        var uploaded = upload(b, SVG.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(uploaded.statusCode()).as(new String(uploaded.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String logoUrl = TestApi.JSON.readTree(uploaded.body()).path("logoUrl").asString();
        assertThat(logoUrl).startsWith("/brand-logos/");

        var served = anonymous(logoUrl);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(served.headers().allValues("X-Content-Type-Options")).contains("nosniff");
        assertThat(served.headers().allValues("Content-Security-Policy"))
                .containsExactly("default-src 'none'; style-src 'unsafe-inline'; sandbox");
        String body = new String(served.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("<rect").doesNotContain("script", "onload", "alert");

        // A new upload gets a new id; the old URL no longer answers.
        var replaced = upload(b, image("png", 16, 8), "image/png");
        String newUrl = TestApi.JSON.readTree(replaced.body()).path("logoUrl").asString();
        assertThat(newUrl).isNotEqualTo(logoUrl);
        assertThat(anonymous(logoUrl).statusCode()).isEqualTo(404);
        var png = anonymous(newUrl);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(anonymous("/brand-logos/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(anonymous("/brand-logos/not-an-id").statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantCanNeitherFetchNorChangeAnotherTenantsLogo() throws Exception {
        TestTenant owner = TestTenants.create(context, "brand-owner");
        TestTenant other = TestTenants.create(context, "brand-other");
        byte[] ownerLogo = image("png", 20, 10);
        var uploaded = upload(owner, ownerLogo, "image/png");
        assertThat(uploaded.statusCode()).isEqualTo(200);
        String ownerUrl = TestApi.JSON.readTree(uploaded.body()).path("logoUrl").asString();

        // The other tenant's token only ever reaches its own brand: it has no logo, and removing "it" finds nothing.
        assertThat(api.get("/api/v1/brand/logo", token(other)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/brand", token(other)).json().path("logoUrl").isNull()).isTrue();
        assertThat(api.delete("/api/v1/brand/logo", token(other)).status()).isEqualTo(404);
        assertThat(upload(other, image("jpeg", 10, 10), "image/jpeg").statusCode()).isEqualTo(200);

        var ownerAfter = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/brand/logo"))
                .header("Authorization", "Bearer " + token(owner)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ownerAfter.statusCode()).isEqualTo(200);
        assertThat(ownerAfter.body()).isEqualTo(ownerLogo);
        assertThat(anonymous(ownerUrl).body()).isEqualTo(ownerLogo);
        assertThat(api.get("/api/v1/brand", token(owner)).json().path("logoUrl").asString()).isEqualTo(ownerUrl);

        // An end user's token manages nothing.
        assertThat(api.get("/api/v1/brand", TestApi.token(owner, "end-user-1")).status()).isEqualTo(403);
        assertThat(upload(owner, ownerLogo, "image/png", TestApi.token(owner, "end-user-1")).statusCode())
                .isEqualTo(403);
    }

    private static String token(TestTenant tenant) {
        return TestApi.token(tenant, "tenant");
    }

    private static String json(Object value) {
        return TestApi.json(value);
    }

    private HttpResponse<byte[]> upload(TestTenant tenant, byte[] bytes, String contentType) {
        return upload(tenant, bytes, contentType, token(tenant));
    }

    private HttpResponse<byte[]> upload(TestTenant tenant, byte[] bytes, String contentType, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/brand/logo"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> anonymous(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static byte[] image(String format, int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x336699);
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
