package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;

/** The popup's one-time start: once, in the browser session that parked it, for two minutes. */
class SignInWindowsTest {

    private final TestClock clock = new TestClock();
    private final SignInWindows windows = new SignInWindows(clock);
    private final OAuthStart start = new OAuthStart(URI.create("https://provider.example/authorize?state=s1"), "s1",
            "browser-key-1");

    @Test
    void aParkedSignInIsTakenOnceInTheSessionThatParkedIt() {
        var session = new MockHttpSession();
        String nonce = windows.park(session, start);

        assertThat(nonce).hasSizeGreaterThanOrEqualTo(43).doesNotContain("s1").doesNotContain("browser-key-1");
        assertThat(windows.take(session, nonce)).contains(start);
        assertThat(windows.take(session, nonce)).as("used once").isEmpty();
    }

    @Test
    void anotherBrowserOrNoSessionFindsNothingAndDoesNotSpendIt() {
        var session = new MockHttpSession();
        String nonce = windows.park(session, start);

        assertThat(windows.take(new MockHttpSession(), nonce)).isEmpty();
        assertThat(windows.take(null, nonce)).isEmpty();
        assertThat(windows.take(session, "not-" + nonce)).isEmpty();
        assertThat(windows.take(session, " ")).isEmpty();
        assertThat(windows.take(session, null)).isEmpty();
        assertThat(windows.take(session, nonce)).contains(start);
    }

    @Test
    void itLivesTwoMinutes() {
        var session = new MockHttpSession();
        String fresh = windows.park(session, start);
        String stale = windows.park(session, start);
        clock.advance(Duration.ofMinutes(2).minusSeconds(1));
        assertThat(windows.take(session, fresh)).contains(start);
        clock.advance(Duration.ofSeconds(1));
        assertThat(windows.take(session, stale)).isEmpty();
    }

    @Test
    void aSessionHoldsABoundedNumberAndNothingThatWouldBeWrittenOutWithIt() {
        var session = new MockHttpSession();
        for (int i = 0; i < SignInWindows.MAX_PARKED * 3; i++) {
            windows.park(session, start);
        }
        String last = windows.park(session, start);
        assertThat(windows.take(session, last)).contains(start);
        for (String name : Collections.list(session.getAttributeNames())) {
            assertThat(session.getAttribute(name)).isNotInstanceOf(java.io.Serializable.class);
        }
    }

    @Test
    void plugboardsOriginIsWhatBrowsersReportAsEventOrigin() {
        assertThat(ConnectFlow.originOf(URI.create("http://localhost:8080/connect/oauth/callback")))
                .isEqualTo("http://localhost:8080");
        assertThat(ConnectFlow.originOf(URI.create("https://Vault.Example.COM:443/pb/connect/oauth/callback")))
                .isEqualTo("https://vault.example.com");
        assertThat(ConnectFlow.originOf(URI.create("http://vault.example:80/connect/oauth/callback")))
                .isEqualTo("http://vault.example");
    }
}
