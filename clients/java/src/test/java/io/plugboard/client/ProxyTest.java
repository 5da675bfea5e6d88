package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProxyTest {

    private final PlugboardClient client = PlugboardClient.builder().baseUrl("http://localhost:1").clientId("pb")
            .clientSecret("s".repeat(64)).build();

    @Test
    void theTokenAndTheCredentialCannotBeOverriddenByACallersHeader() {
        Proxy proxy = client.proxy("cred_1");

        assertThatThrownBy(() -> proxy.withHeader("Authorization", "Bearer other")).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> proxy.withHeader("x-credential-id", "cred_2")).hasMessageContaining("x-credential-id");
        assertThatThrownBy(() -> proxy.withHeader("Host", "elsewhere")).isInstanceOf(IllegalArgumentException.class);
        assertThat(proxy.withHeader("X-Plugboard-Retries", "0")).isNotSameAs(proxy);
    }

    @Test
    void aCredentialIsRequired() {
        assertThatThrownBy(() -> client.proxy(" ")).hasMessageContaining("credentialId");
    }
}
