package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.sync.SyncEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How a sync's changes become {@code records.changed} payloads: at most 500 ids each, every id in exactly one. */
class SyncPayloadsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID TENANT = UUID.fromString("6b1f0c1e-2f5d-4a51-9c51-0c7b4d0e9a11");
    private static final Instant AT = Instant.parse("2026-12-07T21:00:03.412Z");

    @Test
    void exactlyFiveHundredIdsAreOneEvent() {
        List<JsonNode> events = payloads(ids("c", 200), ids("u", 200), ids("d", 100));

        assertThat(events).hasSize(1);
        JsonNode data = events.getFirst().path("data");
        assertThat(data.path("part").asInt()).isEqualTo(1);
        assertThat(data.path("parts").asInt()).isEqualTo(1);
        assertThat(data.path("created").size()).isEqualTo(200);
        assertThat(data.path("updated").size()).isEqualTo(200);
        assertThat(data.path("deleted").size()).isEqualTo(100);
    }

    @Test
    void idsAcrossKindsAreSlicedInOrderWithTheWholeCountsInEachPart() {
        List<JsonNode> events = payloads(ids("c", 450), ids("u", 300), ids("d", 251));

        assertThat(events).extracting(e -> e.path("data").path("part").asInt()).containsExactly(1, 2, 3);
        assertThat(events).extracting(e -> e.path("data").path("parts").asInt()).containsOnly(3);
        assertThat(events).extracting(e -> e.path("data").path("counts").toString())
                .containsOnly("{\"created\":450,\"updated\":300,\"deleted\":251}");
        assertThat(events).extracting(e -> e.path("id").asString()).doesNotHaveDuplicates();
        assertThat(events).extracting(SyncPayloadsTest::size).containsExactly(500, 500, 1);
        // Part 1: the 450 created and the first 50 updated; part 2: the other 250 updated and 250 deleted.
        assertThat(events.get(0).path("data").path("updated").size()).isEqualTo(50);
        assertThat(events.get(1).path("data").path("created").size()).isZero();
        assertThat(events.get(1).path("data").path("updated").get(0).asString()).isEqualTo("u50");
        assertThat(events.get(2).path("data").path("deleted").get(0).asString()).isEqualTo("d250");
        var all = new ArrayList<String>();
        events.forEach(e -> List.of("created", "updated", "deleted")
                .forEach(kind -> e.path("data").path(kind).forEach(id -> all.add(id.asString()))));
        var expected = new ArrayList<String>(ids("c", 450));
        expected.addAll(ids("u", 300));
        expected.addAll(ids("d", 251));
        assertThat(all).containsExactlyElementsOf(expected);
    }

    @Test
    void failedAndRecoveredAreOneEventEach() {
        var failed = WebhookPayloads.of(new SyncEvents.Failed(TENANT, "cred_1", "followupboss", "user-42", "notes",
                "Follow Up Boss failed (500)"), AT);
        var recovered = WebhookPayloads.of(new SyncEvents.Recovered(TENANT, "cred_1", "followupboss", "user-42",
                "notes", 3), AT);

        assertThat(failed).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("sync.failed");
            assertThat(JSON.readTree(p.json()).path("data").toString()).isEqualTo("{\"credentialId\":\"cred_1\","
                    + "\"appKey\":\"followupboss\",\"endUserId\":\"user-42\",\"model\":\"notes\","
                    + "\"error\":\"Follow Up Boss failed (500)\"}");
        });
        assertThat(recovered).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("sync.recovered");
            assertThat(JSON.readTree(p.json()).path("data").path("failedRuns").asInt()).isEqualTo(3);
            assertThat(p.createdAt()).isEqualTo("2026-12-07T21:00:03.412Z");
        });
    }

    private static List<JsonNode> payloads(List<String> created, List<String> updated, List<String> deleted) {
        return WebhookPayloads.of(new SyncEvents.RecordsChanged(TENANT, "cred_1", "followupboss", "user-42", "people",
                created, updated, deleted), AT).stream().map(p -> {
                    assertThat(p.type()).isEqualTo("records.changed");
                    return JSON.readTree(p.json());
                }).toList();
    }

    private static int size(JsonNode event) {
        JsonNode data = event.path("data");
        return data.path("created").size() + data.path("updated").size() + data.path("deleted").size();
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
