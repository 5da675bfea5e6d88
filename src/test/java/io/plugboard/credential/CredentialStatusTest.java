package io.plugboard.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The status names the portal shows (grid, filter, detail, dashboard, console): the two reconnect cases apart. */
class CredentialStatusTest {

    @Test
    void theTwoReasonsForAReconnectReadApartAndBothSayWhatToDo() {
        assertThat(CredentialStatus.REFRESH_FAILED.label()).isEqualTo("Refresh failed — reconnect");
        assertThat(CredentialStatus.NEEDS_RECONNECT.label()).isEqualTo("Connector changed — reconnect");
        assertThat(Arrays.stream(CredentialStatus.values()).map(CredentialStatus::label)).doesNotHaveDuplicates();
    }
}
