package io.plugboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class DemoModeConditionTest {

    @Test
    void unsetFollowsTheDatabase() {
        assertThat(DemoModeCondition.enabled(new MockEnvironment())).isTrue();
        assertThat(DemoModeCondition.enabled(new MockEnvironment().withProperty("plugboard.demo.enabled", ""))).isTrue();
        assertThat(DemoModeCondition.enabled(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/plugboard"))).isFalse();
    }

    @Test
    void aSetValueWins() {
        assertThat(DemoModeCondition.enabled(new MockEnvironment().withProperty("plugboard.demo.enabled", "false")))
                .isFalse();
        assertThat(DemoModeCondition.enabled(new MockEnvironment().withProperty("plugboard.demo.enabled", "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/plugboard"))).isTrue();
    }
}
