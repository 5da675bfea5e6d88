package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A time field written as milliseconds since the epoch by a write template (Lofty's V1 task update takes the
 * deadline so, while its V2 tasks read it as ISO-8601): the input's instant, whatever offset it came with.
 */
class EpochMillisTemplateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static CrmMapping.Model tasks() {
        return new CrmMapping.Model(null, null, null, null, Map.of("dueAt", CrmMapping.Field.at("endAt")),
                Set.of("dueAt"), Set.of(), null);
    }

    @Test
    void aTimeFieldIsWrittenAsEpochMillisAndLeftOutWhenAbsent() {
        var template = JSON.readTree("{\"deadline\": \"{dueAt:epochMillis}\"}");

        var given = WriteTemplates.apply(CrmMapping.Kind.TASKS, tasks(), template,
                Map.of("dueAt", "2026-03-05T12:00:00-05:00"), Instant.EPOCH);
        var absent = WriteTemplates.apply(CrmMapping.Kind.TASKS, tasks(), template, Map.of("completed", true),
                Instant.EPOCH);

        assertThat(given.record().path("deadline").isNumber()).isTrue();
        assertThat(given.record().path("deadline").asLong())
                .isEqualTo(Instant.parse("2026-03-05T17:00:00Z").toEpochMilli());
        assertThat(absent.record().isEmpty()).isTrue();
    }

    @Test
    void onlyTimeFieldsHaveEpochMillis() {
        assertThat(WriteTemplates.knows(CrmMapping.Kind.TASKS, "dueAt:epochMillis")).isTrue();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.TASKS, "title:epochMillis")).isFalse();
        assertThat(WriteTemplates.knows(CrmMapping.Kind.NOTES, "dueAt:epochMillis")).isFalse();
        assertThatThrownBy(() -> WriteTemplates.apply(CrmMapping.Kind.TASKS, tasks(),
                JSON.readTree("{\"deadline\": \"{dueAt:epochMillis}\"}"), Map.of("dueAt", "soon"), Instant.EPOCH))
                .isInstanceOf(UniversalException.class).hasMessageContaining("dueAt");
    }
}
