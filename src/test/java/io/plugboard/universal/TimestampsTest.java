package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every CRM's timestamps come out as ISO-8601 in UTC, as {@code Instant.toString()} writes them. */
class TimestampsTest {

    @Test
    void timesInUtcToTheSecondArePassedOnAndOthersAreNormalized() {
        assertThat(PersonTranslation.instant("2026-01-05T10:00:00Z")).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(PersonTranslation.instant("2026-03-05T12:00:00-05:00")).isEqualTo("2026-03-05T17:00:00Z");
        assertThat(PersonTranslation.instant("2024-05-01T12:00:00.000+0000")).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(PersonTranslation.instant("2026-01-05T10:00:00.250Z")).isEqualTo("2026-01-05T10:00:00.250Z");
        assertThat(PersonTranslation.instant("2026-01-05 10:00:00")).as("Pipedrive's API v1: UTC without an offset")
                .isEqualTo("2026-01-05T10:00:00Z");
        assertThat(PersonTranslation.instant("05/01/2026 10:00")).as("no timestamp: passed on as it is")
                .isEqualTo("05/01/2026 10:00");
        assertThat(PersonTranslation.instant("2026-02-30T10:00:00Z")).as("no such day: passed on as it is, as before")
                .isEqualTo("2026-02-30T10:00:00Z");
    }

    @Test
    void dottedPathsReadTheSameWhetherSplitBeforeOrNot() {
        var json = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("{\"a\": {\"b\": [{\"c\": 1}]}, \"d\": 2}");
        for (int i = 0; i < 2; i++) {
            assertThat(JsonPaths.at(json, "a.b.0.c").asInt()).isEqualTo(1);
            assertThat(JsonPaths.at(json, "d").asInt()).isEqualTo(2);
            assertThat(JsonPaths.at(json, "a.x.0").isMissingNode()).isTrue();
        }
    }
}
