package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.DestinationPolicy;
import org.junit.jupiter.api.Test;

/** The production defaults: https only, no private or loopback receivers. */
class EndpointUrlsTest {

    private final EndpointUrls strict = new EndpointUrls(false, new DestinationPolicy(false));
    private final EndpointUrls lenient = new EndpointUrls(true, new DestinationPolicy(true));

    @Test
    void anHttpsUrlOnAPublicAddressIsAccepted() {
        assertThat(strict.validate(" https://93.184.215.14/hooks/plugboard?x=1 ")).hasToString(
                "https://93.184.215.14/hooks/plugboard?x=1");
    }

    @Test
    void plainHttpOnlyWhereTheOperatorAllowsIt() {
        assertThatThrownBy(() -> strict.validate("http://93.184.215.14/hooks")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("https");
        assertThat(lenient.validate("http://127.0.0.1:8080/hooks")).hasToString("http://127.0.0.1:8080/hooks");
    }

    @Test
    void privateLoopbackAndLinkLocalReceiversAreRefusedUnlessAllowed() {
        for (String url : new String[] {"https://127.0.0.1/h", "https://localhost/h", "https://10.1.2.3/h",
                "https://192.168.0.10/h", "https://169.254.169.254/latest/meta-data", "https://[::1]/h",
                "https://0.0.0.0/h", "https://100.64.0.1/h"}) {
            assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("private or loopback");
            assertThat(lenient.validate(url)).as(url).isNotNull();
        }
    }

    @Test
    void urlsThatAreNotPlainHttpsAddressesAreRefusedWithAReason() {
        for (String url : new String[] {"", "  ", "hooks.example.com/x", "ftp://93.184.215.14/", "https:///path",
                "https://user:pw@93.184.215.14/h", "https://93.184.215.14/h#frag", "https://93.184.215.14/a b",
                "javascript:alert(1)", "https://93.184.215.14/" + "x".repeat(2000)}) {
            assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("URL: ");
        }
        assertThatThrownBy(() -> strict.validate(null)).isInstanceOf(InvalidRequestException.class);
    }
}
