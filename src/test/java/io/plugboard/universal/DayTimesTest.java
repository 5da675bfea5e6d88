package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DayTimesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CrmMapping.Field DAY = new CrmMapping.Field("ActivityDate", null, Map.of(), Map.of(), false,
            true, null);
    private static final CrmMapping.Field DAY_AND_TIME = new CrmMapping.Field("due_date", null, Map.of(), Map.of(),
            false, true, "due_time");

    @Test
    void aDayIsItsMidnightUtcAndATimeOfDayHeldApartJoinsIt() {
        var record = JSON.readTree("{\"due_date\": \"2026-03-05\", \"due_time\": \"17:30\"}");

        assertThat(DayTimes.instant(record, DAY, "2026-03-05")).isEqualTo("2026-03-05T00:00:00Z");
        assertThat(DayTimes.instant(record, DAY_AND_TIME, "2026-03-05")).isEqualTo("2026-03-05T17:30:00Z");
        assertThat(DayTimes.instant(JSON.readTree("{\"due_time\": \"\"}"), DAY_AND_TIME, "2026-03-05"))
                .isEqualTo("2026-03-05T00:00:00Z");
        assertThat(DayTimes.instant(record, DAY, "soon")).isEqualTo("soon");
        assertThat(DayTimes.instant(record, CrmMapping.Field.at("x"), "2026-03-05 17:30:00"))
                .as("an offset-less time with a space, as Pipedrive's API v1 writes UTC")
                .isEqualTo("2026-03-05T17:30:00Z");
    }

    @Test
    void anInstantIsWrittenAsItsUtcDayAndTime() {
        var body = (ObjectNode) JSON.createObjectNode();
        DayTimes.write(body, DAY_AND_TIME, "2026-03-05T23:30:00-02:00");
        assertThat(body).isEqualTo(JSON.readTree("{\"due_date\": \"2026-03-06\", \"due_time\": \"01:30\"}"));

        var dayOnly = (ObjectNode) JSON.createObjectNode();
        DayTimes.write(dayOnly, DAY, "2026-03-05T17:00:00Z");
        assertThat(dayOnly).isEqualTo(JSON.readTree("{\"ActivityDate\": \"2026-03-05\"}"));

        assertThatThrownBy(() -> DayTimes.write(dayOnly, DAY, "tomorrow")).isInstanceOf(UniversalException.class);
    }
}
