package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the client reads from and writes to the API, without the JSR-310 module. */
class JsonTest {

    @Test
    void aCredentialFromANewerServerStillReads() throws Exception {
        Credential credential = Json.mapper().readValue("""
                {"id": "cred_1", "appKey": "roller", "endUserId": "venue-ops", "status": "ARCHIVED",
                 "metadata": {"venue": "Main Hall"}, "createdAt": "2026-12-07T10:00:00.123456Z",
                 "providerRevocation": {"status": "pending", "attempts": 2, "nextAttemptAt": "2026-12-07T10:05:00Z"},
                 "somethingNew": {"nested": true}}
                """, Credential.class);

        assertThat(credential.status()).isEqualTo(CredentialStatus.UNKNOWN);
        assertThat(credential.createdAt()).isEqualTo(Instant.parse("2026-12-07T10:00:00.123456Z"));
        assertThat(credential.metadata()).containsEntry("venue", "Main Hall");
        assertThat(credential.scopes()).isEmpty();
        assertThat(credential.providerRevocation().attempts()).isEqualTo(2);
    }

    @Test
    void requestsLeaveOutWhatIsNotSetAndWriteInstantsAsIsoText() throws Exception {
        String json = Json.mapper().writeValueAsString(NewCredential.of("hubspot", "agent-42")
                .withTokens(NewCredential.Tokens.of("at", null, Instant.parse("2026-12-01T10:00:00Z"))));

        assertThat(json).isEqualTo("{\"appKey\":\"hubspot\",\"endUserId\":\"agent-42\",\"tokens\":"
                + "{\"accessToken\":\"at\",\"expiresAt\":\"2026-12-01T10:00:00Z\"}}");
        assertThat(Json.mapper().writeValueAsString(CredentialChange.label("Main Hall")))
                .isEqualTo("{\"label\":\"Main Hall\"}");
        assertThat(Json.mapper().writeValueAsString(CredentialChange.metadata(Map.of("venue", "Rooftop"))))
                .isEqualTo("{\"metadata\":{\"venue\":\"Rooftop\"}}");
    }

    @Test
    void aConnectSessionCarriesItsLanguageBothWays() throws Exception {
        assertThat(Json.mapper().writeValueAsString(NewConnectSession.forEndUser("agent-42").withLocale("de-AT")))
                .isEqualTo("{\"endUser\":{\"id\":\"agent-42\"},\"locale\":\"de-AT\"}");
        ConnectSessionStatus status = Json.mapper().readValue("""
                {"sessionId": "cs_1", "status": "PENDING", "endUserId": "agent-42",
                 "expiresAt": "2026-12-07T10:30:00Z", "credentialIds": [], "locale": "de-AT"}
                """, ConnectSessionStatus.class);
        assertThat(status.locale()).isEqualTo("de-AT");
    }

    @Test
    void queryParametersAreEncoded() {
        assertThat(CredentialQuery.all().appKey("roller").metadata("venue", "Main Hall & Bar").limit(10)
                .toQueryString("c/1+2"))
                .isEqualTo("?appKey=roller&metadata=venue%3DMain%20Hall%20%26%20Bar&cursor=c%2F1%2B2&limit=10");
        assertThat(CredentialQuery.all().toQueryString(null)).isEmpty();
    }
}
