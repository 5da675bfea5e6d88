package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.plugboard.connector.ConnectorDefinition.ClientAuthentication;
import io.plugboard.connector.ConnectorDefinition.OAuth;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A token endpoint that answers at once but drips its body a byte at a time never lets the read timeout fire:
 * every grant gives up at the overall deadline instead of waiting as long as the provider keeps dripping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointDeadlineTest {

    private static final Duration DEADLINE = Duration.ofMillis(1500);

    private DrippingServer dripping;
    private TokenEndpoint endpoint;
    private OAuth oauth;

    @BeforeAll
    void start() throws Exception {
        dripping = DrippingServer.start(Duration.ofMillis(200));
        // The read timeout is far above the drip interval: only the deadline can end these calls.
        endpoint = new TokenEndpoint(Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(5), DEADLINE,
                PinningPolicy.toLoopback());
        oauth = new OAuth(null, "http://token.invalid:" + dripping.port() + "/oauth/token", null, null, null, null,
                null, ClientAuthentication.client_secret_post, null, null, null, null, null, null, null, null, null);
    }

    @AfterAll
    void stop() throws Exception {
        endpoint.close();
        dripping.close();
    }

    @Test
    void aRefreshGivesUpAtTheDeadline() {
        givesUpInTime(e -> e.refresh(oauth, "client-1", "secret-1", "rt-1", List.of(),
                URI.create("https://plugboard.example/cb")));
    }

    @Test
    void aCodeExchangeGivesUpAtTheDeadline() {
        givesUpInTime(e -> e.authorizationCode(oauth, "client-1", "secret-1", "code-1",
                URI.create("https://plugboard.example/callback"), null));
    }

    @Test
    void aClientCredentialsRequestGivesUpAtTheDeadline() {
        givesUpInTime(e -> e.clientCredentials(oauth, "client-1", "secret-1", List.of("read")));
    }

    private void givesUpInTime(Consumer<TokenEndpoint> request) {
        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(6), () -> assertThatThrownBy(() -> request.accept(endpoint))
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenRequestException.Kind.TIMEOUT)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(DEADLINE.minusMillis(100),
                DEADLINE.plusSeconds(1));
    }
}
