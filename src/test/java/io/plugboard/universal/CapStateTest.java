package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a capped query's cursor holds, and the cursors from before the query was capped. */
class CapStateTest {

    @Test
    void aCappedQuerysStateHoldsWhatItReadWhereItRestartedAndTheProvidersToken() {
        assertThat(UniversalCrm.CapState.of(null)).isEqualTo(new UniversalCrm.CapState(0, null, null));
        assertThat(UniversalCrm.CapState.of("9800|2026-12-01T10:03:00Z|NTI1Cg%3D%3D"))
                .isEqualTo(new UniversalCrm.CapState(9800, "2026-12-01T10:03:00Z", "NTI1Cg%3D%3D"));
        assertThat(UniversalCrm.CapState.of("0|2026-12-01T10:03:00Z|"))
                .isEqualTo(new UniversalCrm.CapState(0, "2026-12-01T10:03:00Z", null));
        assertThat(UniversalCrm.CapState.of("200||a|b")).isEqualTo(new UniversalCrm.CapState(200, null, "a|b"));
    }

    @Test
    void aTokenFromBeforeTheCapCarriesOn() {
        assertThat(UniversalCrm.CapState.of("NTI1Cg%3D%3D")).isEqualTo(new UniversalCrm.CapState(0, null, "NTI1Cg%3D%3D"));
        assertThat(UniversalCrm.CapState.of("512")).isEqualTo(new UniversalCrm.CapState(0, null, "512"));
    }
}
