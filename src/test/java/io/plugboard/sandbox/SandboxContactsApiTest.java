package io.plugboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.Jwt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Universal CRM API needs of the sandbox's contacts: filters, offset paging, changes with PATCH, and
 * the JSON shape its mapping ({@code connectors/universal/sandbox-crm.yaml}) reads.
 */
class SandboxContactsApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SandboxApi api = new SandboxApi(new SandboxContacts(clock), new SandboxUrls("http://localhost"));
    private final Jwt token = Jwt.withTokenValue("t").header("alg", "none").subject("ada@example.com").build();

    @Test
    void listsAPageAtATimeOldestFirst() {
        JsonNode first = body(api.contacts(token, null, null, null, 2, null));
        JsonNode rest = body(api.contacts(token, null, null, null, 2, 2));

        assertThat(first.path("contacts")).extracting(c -> c.path("id").asString()).containsExactly("c_sample_1", "c_sample_2");
        assertThat(rest.path("contacts")).extracting(c -> c.path("id").asString()).containsExactly("c_sample_3");
        assertThat(first.path("total").asInt()).isEqualTo(3);
        JsonNode ada = first.path("contacts").get(0);
        assertThat(ada.path("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(ada.path("email").asString()).isEqualTo("ada@analytical.example");
        assertThat(ada.path("createdAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(ada.path("updatedAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void filtersByEmailNameAndChangeTime() {
        api.contacts(token, null, null, null, null, null);
        clock.now = Instant.parse("2026-02-01T00:00:00Z");
        ResponseEntity<?> changed = api.change(token, "c_sample_2", new SandboxApi.NewContact(null, "grace@navy.example", null, null));

        assertThat(changed.getStatusCode().value()).isEqualTo(200);
        assertThat(body(api.contacts(token, "GRACE@navy.example", null, null, null, null)).path("contacts")).hasSize(1);
        assertThat(body(api.contacts(token, null, "lovelace", null, null, null)).path("contacts")).hasSize(1);
        JsonNode since = body(api.contacts(token, null, null, "2026-01-15T00:00:00Z", null, null));
        assertThat(since.path("contacts")).extracting(c -> c.path("name").asString()).containsExactly("Grace Hopper");
        assertThat(since.path("contacts").get(0).path("updatedAt").asString()).isEqualTo("2026-02-01T00:00:00Z");
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThat(api.contacts(token, null, null, "yesterday", null, null).getStatusCode().value()).isEqualTo(400);
        assertThat(api.contacts(token, null, null, null, 0, null).getStatusCode().value()).isEqualTo(400);
        assertThat(api.change(token, "c_none", new SandboxApi.NewContact("X", null, null, null)).getStatusCode().value())
                .isEqualTo(404);
        var invalid = api.change(token, "c_sample_1", new SandboxApi.NewContact(null, "not-an-email", null, null));
        assertThat(invalid.getStatusCode().value()).isEqualTo(400);
        assertThat(body(invalid).path("message").asString()).isEqualTo("email is not an e-mail address.");
    }

    private static JsonNode body(ResponseEntity<?> response) {
        return JSON.valueToTree(response.getBody());
    }

    private static final class MutableClock extends Clock {

        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
