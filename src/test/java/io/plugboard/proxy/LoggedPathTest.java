package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The call log keeps a path and its query parameter names, never their values. */
class LoggedPathTest {

    private static String logged(String path, String query) {
        return ProxyService.loggedPath(new ProxyRequest("GET", path, query, java.util.Map.of(), null, 0, CallSource.API,
                "api:test"));
    }

    @Test
    void queryValuesAreDroppedAndNamesKept() {
        assertThat(logged("/v1/contacts", "api_key=secret&page=2")).isEqualTo("/v1/contacts?api_key=&page=");
        assertThat(logged("/v1/contacts", "flag&q=a%3Db")).isEqualTo("/v1/contacts?flag=&q=");
        assertThat(logged("/v1/contacts", "a=1&")).isEqualTo("/v1/contacts?a=");
        assertThat(logged("/v1/contacts", null)).isEqualTo("/v1/contacts");
        assertThat(logged("/v1/contacts", "")).isEqualTo("/v1/contacts");
    }
}
