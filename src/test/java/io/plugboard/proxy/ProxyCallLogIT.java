package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every proxied call leaves one call-log row — path without query values, status, retries, sizes, source and
 * actor, nothing secret — and marks the credential as used; old rows go after the retention.
 */
@PlugboardTest
class ProxyCallLogIT extends ProxyTestSupport {

    private String credential;

    @BeforeAll
    void connector() {
        apiKeyConnector("log-keys", """
                type: QUERY
                queryParam: key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("log-keys", Map.of("apiKey", "very-secret-key"));
    }

    @Test
    void anApiCallIsLoggedWithItsPathButNotItsQueryValuesAndTheCredentialIsMarkedUsed() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("twelve bytes")));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        var response = call("GET", "/items?q=top-secret-search&page=2&flag", credential, null);

        assertThat(response.statusCode()).isEqualTo(200);
        var row = callLogRow(requestId(response));
        assertThat(row).containsEntry("tenant_id", tenant.id()).containsEntry("credential_id", credential)
                .containsEntry("app_key", "log-keys").containsEntry("method", "GET")
                .containsEntry("path", "/items?q=&page=&flag=").containsEntry("status", 200)
                .containsEntry("retries", 0).containsEntry("source", "API").containsEntry("actor", "api:tenant")
                .containsEntry("bytes_in", 0L).containsEntry("bytes_out", 12L);
        assertThat((Integer) row.get("latency_ms")).isNotNegative();
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains("top-secret-search")
                || String.valueOf(v).contains("very-secret-key"));
        OffsetDateTime lastUsed = jdbc.queryForObject("SELECT last_used_at FROM credentials WHERE id = ?",
                OffsetDateTime.class, credential);
        assertThat(lastUsed).isNotNull();
        assertThat(lastUsed.toInstant()).isAfterOrEqualTo(before);
    }

    @Test
    void retriesFailuresBodiesAndEndUserActorsAreLogged() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        String endUser = "end-user-" + UUID.randomUUID();
        String own = credential(tenant, "log-keys", endUser, Map.of("apiKey", "k2"), null);

        var retried = call("GET", "/busy", credential, null, "X-Plugboard-Retries", "1");
        var posted = call(port, jwt(tenant, endUser), "POST", "/orders", own, "{\"a\":1}".getBytes(),
                "X-Plugboard-Retries", "3");

        assertThat(callLogRow(requestId(retried))).containsEntry("status", 503).containsEntry("retries", 1);
        assertThat(callLogRow(requestId(posted))).containsEntry("status", 503).containsEntry("retries", 0)
                .containsEntry("method", "POST").containsEntry("bytes_in", 7L).containsEntry("actor", "api:" + endUser);
    }

    @Test
    void aConsoleCallIsLoggedAsPortal() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        String requestId = ProxyService.newRequestId();
        var out = new ByteArrayOutputStream();

        var result = asAdmin(tenant, () -> context.getBean(ProxyService.class).forward(tenant.id(), credential,
                new ProxyRequest("GET", "/console", "x=1", Map.of(), null, 0, CallSource.PORTAL, tenant.adminEmail()),
                requestId, (status, headers, length) -> out));

        assertThat(result.status()).isEqualTo(200);
        assertThat(out.toString()).isEqualTo("ok");
        assertThat(callLogRow(requestId)).containsEntry("source", "PORTAL").containsEntry("actor", tenant.adminEmail())
                .containsEntry("path", "/console?x=");
    }

    @Test
    void rowsOlderThanTheRetentionAreDeleted() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String recent = requestId(call("GET", "/recent", credential, null));
        callLogRow(recent);
        String old = "req_old_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("""
                INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                    bytes_out, retries, source, actor, request_id, created_at)
                VALUES (?, ?, 'log-keys', 'GET', '/old', 200, 1, 0, 0, 0, 'API', 'api:tenant', ?, ?)""",
                tenant.id(), credential, old, OffsetDateTime.now(ZoneOffset.UTC).minusDays(31));

        callLog.enforceRetention();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM proxy_calls WHERE request_id = ?", Long.class, old)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM proxy_calls WHERE request_id = ?", Long.class, recent)).isOne();
    }

    @Test
    void aBatchTheDatabaseRefusesIsKeptAndWrittenOnTheNextFlush() {
        String prefix = "keep-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        // Refuses only this test's rows, so calls of other tests in the same batch are merely delayed.
        DatabaseSuperuser.of(context).execute("""
                CREATE FUNCTION test_refuse_call_rows() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.request_id LIKE '%s%%' THEN RAISE EXCEPTION 'database unavailable (test)'; END IF;
                    RETURN NEW;
                END $$""".formatted(prefix));
        DatabaseSuperuser.of(context).execute("CREATE TRIGGER test_refuse_call_rows BEFORE INSERT ON proxy_calls "
                + "FOR EACH ROW EXECUTE FUNCTION test_refuse_call_rows()");
        try {
            for (int i = 0; i < 25; i++) {
                callLog.record(new CallLog.Call(tenant.id(), credential, "log-keys", "GET", "/kept", 200, 5, 0, 0, 0,
                        CallSource.API, "api:tenant", prefix + i, Instant.now(), null, false));
            }
            callLog.flush();
            assertThat(rows(prefix)).isZero();
        } finally {
            DatabaseSuperuser.of(context).execute("DROP TRIGGER test_refuse_call_rows ON proxy_calls");
            DatabaseSuperuser.of(context).execute("DROP FUNCTION test_refuse_call_rows()");
        }
        callLog.flush();
        assertThat(rows(prefix)).as("every row written once, none lost, none twice").isEqualTo(25);
    }

    private Integer rows(String requestIdPrefix) {
        return jdbc.queryForObject("SELECT count(*) FROM proxy_calls WHERE request_id LIKE ?", Integer.class,
                requestIdPrefix + "%");
    }
}
