package io.plugboard.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchTrigramsTest {

    @Test
    void everyThreeLettersOrDigitsInARowOfTheLowerCasedTerm() {
        assertThat(SearchTrigrams.of("HartWood")).isEqualTo("[\"har\",\"art\",\"rtw\",\"two\",\"woo\",\"ood\"]");
        assertThat(SearchTrigrams.of("5551250")).isEqualTo("[\"555\",\"551\",\"512\",\"125\",\"250\"]");
    }

    @Test
    void otherCharactersSplitTheTermSoThatNoTrigramSpansThem() {
        // "ry@" or "é" may or may not be word characters for pg_trgm: only what is inside a word either way.
        assertThat(SearchTrigrams.of("mary@ex.com")).isEqualTo("[\"mar\",\"ary\",\"com\"]");
        assertThat(SearchTrigrams.of("José")).isEqualTo("[\"jos\"]");
        assertThat(SearchTrigrams.of("50% off")).isEqualTo("[\"off\"]");
    }

    @Test
    void aTermWithoutThreeInARowHasNone() {
        assertThat(SearchTrigrams.of("ab")).isNull();
        assertThat(SearchTrigrams.of("a.b-c d")).isNull();
        assertThat(SearchTrigrams.of("")).isNull();
    }
}
