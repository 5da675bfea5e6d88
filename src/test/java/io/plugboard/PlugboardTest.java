package io.plugboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared integration-test application: a real embedded PostgreSQL in a fresh directory under
 * {@code target/}, the demo tenant seeded with a known password, a random HTTP port. Tests that use
 * exactly this annotation share one context (and one database), so they must not assume an empty one. On the
 * test's own thread the database sees every tenant's rows unless the test acts as a user ({@link PlatformScopeForTests}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=true",
        // A throwaway database: no fsync, asynchronous commits.
        "plugboard.database.durable=false",
        "plugboard.demo.password=" + PlugboardTest.DEMO_PASSWORD,
        "plugboard.demo.client-id=" + PlugboardTest.DEMO_CLIENT_ID,
        // Tests run in Vaadin dev mode; its dev tools overlay (Copilot) would sit over the page in browser tests.
        "vaadin.devmode.devTools.enabled=false",
        // Provider stand-ins (WireMock) listen on plain http://localhost.
        "plugboard.connectors.allow-http=true",
        // The identity provider of the single sign-on tests (mock-oauth2-server) listens on http://localhost.
        "plugboard.sso.allow-http-loopback=true",
        // ...and on loopback, which Plugboard refuses to call unless the operator allows private networks.
        "plugboard.proxy.allow-private-addresses=true",
        // The Prometheus scrape answers only with this token.
        "plugboard.metrics.token=" + PlugboardTest.METRICS_TOKEN,
        // Custom connectors standing in for CRMs (at WireMock) speak their Universal CRM mappings; so does the API
        // fixtures' stand-in, for the OpenAPI fuzz test to reach the Universal API's translation.
        // The sync tests claim and run syncs themselves, step by step; a background worker would race them.
        "plugboard.sync.worker-enabled=false",
        "plugboard.universal.connector-mappings=fub-standin=followupboss,stand-in-key=followupboss,"
                + "hubspot-standin=hubspot,pipedrive-standin=pipedrive,"
                + "salesforce-standin=salesforce,zoho-standin=zoho-crm,lofty-standin=lofty",
})
public @interface PlugboardTest {

    String DEMO_PASSWORD = "demo-password-for-tests";
    String DEMO_CLIENT_ID = "pbc_demo_tests";
    String METRICS_TOKEN = "metrics-token-for-tests";
}
