package io.plugboard.bench;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import tools.jackson.databind.JsonNode;

/**
 * What sealing the credential change feed's payloads (changeset 035) costs a credential write: the announcing
 * trigger's own time and the whole UPDATE's, from {@code EXPLAIN (ANALYZE)}, sealed as shipped and with the
 * trigger function put back to changeset 013's plain payload inside a transaction that is rolled back. Both series
 * run inside such a transaction, so neither commits nor notifies. Prints the numbers; asserts nothing about time.
 * Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
class ChangeFeedSealBenchmark extends ProxyTestSupport {

    private static final int ROUNDS = 2_000;
    private static final String PLAIN = """
            CREATE OR REPLACE FUNCTION announce_credential_change() RETURNS trigger
                LANGUAGE plpgsql AS $$
            DECLARE
                changed record;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    changed := OLD;
                ELSE
                    changed := NEW;
                END IF;
                IF TG_TABLE_NAME = 'credentials' THEN
                    PERFORM pg_notify('plugboard_credentials', changed.tenant_id::text || ':' || changed.id);
                ELSIF TG_TABLE_NAME = 'tenants' THEN
                    PERFORM pg_notify('plugboard_credentials', changed.id::text);
                ELSE
                    PERFORM pg_notify('plugboard_credentials', changed.tenant_id::text);
                END IF;
                RETURN NULL;
            END
            $$""";

    @Test
    void aCredentialWriteWithTheSealedAndThePlainAnnouncement() {
        apiKeyConnector("seal-bench", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        String id = apiKeyCredential("seal-bench", Map.of("apiKey", "k"));
        DatabaseSuperuser.of(context).execute((ConnectionCallback<Void>) connection -> {
            run(connection, id, false);
            run(connection, id, true);
            run(connection, id, false);
            run(connection, id, true);
            return null;
        });
    }

    private static void run(Connection connection, String id, boolean plain) throws SQLException {
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement();
             var explain = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) UPDATE credentials "
                     + "SET config = jsonb_build_object('round', ?::int) WHERE id = ?")) {
            if (plain) {
                statement.execute(PLAIN);
            }
            List<Double> trigger = new ArrayList<>();
            List<Double> update = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                explain.setInt(1, i);
                explain.setString(2, id);
                try (var rs = explain.executeQuery()) {
                    rs.next();
                    JsonNode result = JSON.readTree(rs.getString(1)).get(0);
                    update.add(result.get("Execution Time").asDouble());
                    for (JsonNode fired : result.get("Triggers")) {
                        if (fired.get("Trigger Name").asString().equals("credentials_announce_update")) {
                            trigger.add(fired.get("Time").asDouble());
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "Change feed seal, %s payload, %d updates: announcing trigger p50 %.4f ms,"
                            + " p95 %.4f ms; whole UPDATE (all its triggers) p50 %.4f ms, p95 %.4f ms%n",
                    plain ? "plain (013)" : "sealed (035)", ROUNDS, percentile(trigger, 50), percentile(trigger, 95),
                    percentile(update, 50), percentile(update, 95));
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
