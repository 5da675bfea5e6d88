package io.plugboard.api;

import io.plugboard.PlatformScopeForTests;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.database.PostgresOutage;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * PostgreSQL crashed under a running application: the API fails fast with 503 problem+json and Retry-After (never
 * 500, never after the pool's 30 s), health turns DOWN, the log says so by count, and everything works again once
 * the database is back. Its own context and database, because the database is stopped.
 */
@ExtendWith(OutputCaptureExtension.class)
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.database.durable=true",
})
class DatabaseOutageContextIT {

    private static final String PATH = "/api/v1/end-users";
    private static final long FAST_MS = 2_500;

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @Test
    void whileTheDatabaseIsDownTheApiAnswers503FastAndHealthIsDown(CapturedOutput output) throws Exception {
        var api = new TestApi(port);
        TestTenant known = TestTenants.create(context, "known");
        TestTenant fresh = TestTenants.create(context, "fresh");
        String knownToken = TestApi.token(known, "tenant");
        assertThat(api.get(PATH, knownToken).status()).as("the key is cached now").isEqualTo(200);
        String freshToken = TestApi.token(fresh, "tenant");

        var outage = PostgresOutage.of(context);
        int logStart = output.length();
        outage.crash();
        try {
            for (int i = 0; i < 5; i++) {
                // A controller needing the database, and the token check needing it (the key is not cached).
                assertUnavailableFast(api, knownToken);
                assertUnavailableFast(api, freshToken);
            }
            long started = System.nanoTime();
            HttpResponse<String> health = health();
            assertThat(health.statusCode()).as("health while down: " + health.body()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");
            assertThat(millisSince(started)).as("health answered within").isLessThan(3_000);
        } finally {
            outage.start();
        }
        String outageLog = output.toString().substring(logStart);
        assertThat(outageLog).doesNotContain("Unexpected API failure").doesNotContain("Unexpected error in a scheduled task")
                .contains("API requests answered 503, database unavailable: 1 in the last 10 s");
        // Stack traces only from the pool (once per pooled connection found broken) and for transactions cut
        // mid-way, never per request: ten requests and a health check here.
        List<String> traced = Arrays.stream(outageLog.split("\n(?=\\d{4}-\\d\\d-\\d\\dT)"))
                .filter(record -> record.contains("\n\tat ")).map(record -> record.lines().findFirst().orElseThrow())
                .toList();
        assertThat(traced).as("log records with a stack trace").hasSizeLessThanOrEqualTo(8)
                .allMatch(line -> line.contains("com.zaxxer.hikari") || line.contains("TransactionTemplate"));

        long back = System.nanoTime();
        awaitOk(api, freshToken);
        awaitOk(api, knownToken);
        assertThat(millisSince(back)).as("recovered within").isLessThan(10_000);
        assertThat(health().statusCode()).isEqualTo(200);
    }

    @Test
    void whileTheDatabaseIsDownThePortalSaysSo() throws Exception {
        TestTenant tenant = TestTenants.create(context, "portal");
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        var signedIn = postLogin(browser, tenant.adminEmail(), 302);
        assertThat(signedIn.headers().firstValue("Location")).get().asString().doesNotContain("error");
        assertThat(get(browser, "/settings").statusCode()).isEqualTo(200);

        var outage = PostgresOutage.of(context);
        outage.crash();
        try {
            var page = get(browser, "/settings");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.body()).contains("Database unavailable").contains("Retry in a few seconds");

            var uidl = browser.send(HttpRequest.newBuilder(url("/?v-r=uidl&v-uiId=0"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"csrfToken\":\"x\",\"rpc\":[],\"syncId\":0,\"clientId\":0}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uidl.body()).contains("\"appError\"").contains("\"caption\":\"Database unavailable\"")
                    .contains("Retry in a few seconds");

            var anotherBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            var signIn = postLogin(anotherBrowser, tenant.adminEmail(), 503);
            assertThat(signIn.body()).as("not 'wrong password'").contains("Database unavailable");
        } finally {
            outage.start();
        }
        long back = System.nanoTime();
        while (get(browser, "/settings").statusCode() != 200) {
            assertThat(millisSince(back)).as("portal back within").isLessThan(10_000);
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> postLogin(HttpClient browser, String email, int status) throws Exception {
        String page = get(browser, "/login").body();
        String name = null;
        String value = null;
        Matcher m = Pattern.compile("<meta name=\"(_csrf(?:_parameter)?)\" content=\"([^\"]*)\"").matcher(page);
        while (m.find()) {
            if (m.group(1).equals("_csrf")) {
                value = m.group(2);
            } else {
                name = m.group(2);
            }
        }
        String form = "username=" + enc(email) + "&password=" + enc(TestTenants.ADMIN_PASSWORD) + "&" + enc(name)
                + "=" + enc(value);
        var response = browser.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://localhost:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(status);
        return response;
    }

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void assertUnavailableFast(TestApi api, String token) {
        long started = System.nanoTime();
        var response = api.get(PATH, token);
        long took = millisSince(started);
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asString()).endsWith("/problems/database-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(took).as("answered within (ms)").isLessThan(FAST_MS);
    }

    private static void awaitOk(TestApi api, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TestApi.Response last;
        do {
            last = api.get(PATH, token);
            if (last.status() == 200) {
                return;
            }
            assertThat(last.status()).as(last.toString()).isEqualTo(503);
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not recovered within 10 s: " + last);
    }

    private HttpResponse<String> health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
