package io.plugboard.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.DestinationPolicy;
import org.junit.jupiter.api.Test;

/**
 * Which issuer URLs single sign-on accepts: https to public addresses; plain http only for a loopback host literal
 * and only when the operator allows it; never a private network unless the operator allows private addresses.
 */
class IssuersTest {

    private static Issuers issuers(boolean allowHttpLoopback) {
        return new Issuers(new SsoProperties(allowHttpLoopback, null), new DestinationPolicy(false));
    }

    @Test
    void httpsToAPublicAddressIsAcceptedWithoutItsTrailingSlash() {
        assertThat(issuers(false).check(" https://93.184.216.34/realms/acme/ ")).isEqualTo("https://93.184.216.34/realms/acme");
    }

    @Test
    void plainHttpIsRefusedUnlessLoopbackAndAllowed() {
        assertThatThrownBy(() -> issuers(false).check("http://localhost:8080/default"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must be an https:// URL");
        assertThatThrownBy(() -> issuers(true).check("http://93.184.216.34/realms/acme"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must be an https:// URL");
        // A name that only looks local is not loopback.
        assertThatThrownBy(() -> issuers(true).check("http://localhost.evil.example/x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must be an https:// URL");
        assertThat(issuers(true).check("http://localhost:8080/default")).isEqualTo("http://localhost:8080/default");
        assertThat(issuers(true).check("http://127.0.0.1:8080/default")).isEqualTo("http://127.0.0.1:8080/default");
        assertThat(issuers(true).check("http://[::1]:8080/default")).isEqualTo("http://[::1]:8080/default");
    }

    @Test
    void privateNetworksAreRefusedEvenOverHttps() {
        for (String issuer : new String[] {"https://10.0.0.5/realms/x", "https://169.254.169.254/latest",
                "https://192.168.1.1/", "https://127.0.0.1/x"}) {
            assertThatThrownBy(() -> issuers(false).check(issuer)).as(issuer)
                    .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("issuer:");
        }
    }

    @Test
    void malformedIssuersAreRefused() {
        for (String issuer : new String[] {"not a url", "ftp://login.example.com", "https://", "/relative",
                "https://user:pw@login.example.com", "https://login.example.com/?a=1", "https://login.example.com/#f"}) {
            assertThatThrownBy(() -> issuers(true).check(issuer)).as(issuer)
                    .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("issuer:");
        }
    }
}
