package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connect session's {@code locale} over the real API: a supported language (with any region) is stored with the
 * session and reported back, and every page of the session speaks it; anything else is a 400 problem naming the
 * field, and no session is opened.
 */
class ConnectSessionLocaleIT extends ConnectTestSupport {

    private ConnectTenant tenant;

    @BeforeEach
    void aTenant() {
        tenant = tenant("locale");
        addApiKeyConnector(tenant);
    }

    @Test
    void theLocaleIsStoredCanonicallyAndChoosesTheLanguageOfTheSessionsPages() {
        Created austrian = createSession(tenant, Map.of("endUser", Map.of("id", "anna"), "locale", "DE-at"));

        assertThat(sessionStatus(tenant, austrian.sessionId()).path("locale").asString()).isEqualTo("de-AT");
        assertThat(jdbc.queryForObject("SELECT locale FROM connect_sessions WHERE id = ?", String.class,
                austrian.sessionId())).isEqualTo("de-AT");
        // The session's language wins over the browser's.
        assertThat(flow.language(austrian.sessionId(), "fr-FR,fr;q=0.9")).isEqualTo(Locale.forLanguageTag("de-AT"));
    }

    @Test
    void withoutALocaleTheBrowserDecides() {
        Created session = createSession(tenant, Map.of("endUser", Map.of("id", "bruno")));

        assertThat(sessionStatus(tenant, session.sessionId()).path("locale").isNull()).isTrue();
        assertThat(flow.language(session.sessionId(), "pt-BR,es;q=0.7,en;q=0.3")).isEqualTo(Locale.forLanguageTag("es"));
        assertThat(flow.language(session.sessionId(), null)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void anUnsupportedOrMalformedLocaleIsA400ProblemAndOpensNoSession() {
        Integer before = jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE end_user_id = 'carla'",
                Integer.class);
        for (Object locale : new Object[] {"pt-BR", "klingon", "de_DE", "", "x".repeat(100), 42, Map.of("de", true)}) {
            Response response = api("POST", tenant, "/api/v1/connect-sessions",
                    Map.of("endUser", Map.of("id", "carla"), "locale", locale));

            assertThat(response.status()).as(locale + ": " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).as(locale.toString()).startsWith("application/problem+json");
            assertThat(response.json().path("detail").asString()).as(locale.toString()).contains("locale");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE end_user_id = 'carla'",
                Integer.class)).isEqualTo(before);
    }
}
