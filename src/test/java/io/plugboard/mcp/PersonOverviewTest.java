package io.plugboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.universal.UniversalException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonOverviewTest {

    @Test
    void aListTheCrmCannotGiveSaysWhyInsteadOfFailingTheOverview() {
        var part = PersonOverview.Part.<String>of(() -> {
            throw new UniversalException(501, "operation-not-supported",
                    "Lofty (lofty) cannot list notes through the Universal CRM API.");
        });

        assertThat(part.items()).isEmpty();
        assertThat(part.unavailable()).isEqualTo("Lofty (lofty) cannot list notes through the Universal CRM API.");
    }

    @Test
    void aRateLimitOrAnOutageFailsTheOverviewAsTheRestCallWould() {
        assertThatThrownBy(() -> PersonOverview.Part.<String>of(() -> {
            throw new UniversalException(429, "rate-limited", "Follow Up Boss limits the rate of calls", 10L);
        })).isInstanceOf(UniversalException.class).hasMessageContaining("limits the rate");
        assertThat(PersonOverview.Part.of(() -> List.of("a")).items()).containsExactly("a");
    }
}
