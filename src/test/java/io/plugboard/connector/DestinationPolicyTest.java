package io.plugboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The address rules behind the SSRF refusal, for ranges a test cannot reach over the network. */
class DestinationPolicyTest {

    @Test
    void loopbackPrivateLinkLocalAndOtherInternalRangesAreInternal() throws Exception {
        for (String address : new String[] {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.254",
                "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "198.18.0.1", "192.0.0.8", "224.0.0.1",
                "240.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fc00::1", "fe80::1", "ff02::1",
                "::ffff:10.0.0.1", "::ffff:127.0.0.1",
                // IPv4-compatible, NAT64 and 6to4 forms of internal IPv4 addresses; Teredo; documentation.
                "::127.0.0.1", "::10.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::10.1.2.3",
                "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001:0:4136:e378::1", "2001:db8::1", "100::1"}) {
            assertThat(DestinationPolicy.internal(InetAddress.getByName(address))).as(address).isTrue();
        }
    }

    @Test
    void publicAddressesAreNot() throws Exception {
        for (String address : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1",
                "2606:4700:4700::1111", "64:ff9b::8.8.8.8", "2002:808:808::1", "2a00:1450:4001::1"}) {
            assertThat(DestinationPolicy.internal(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void aLoopbackTargetIsRefusedUnlessAllowed() {
        URI target = URI.create("http://localhost:8080/api");
        assertThatThrownBy(() -> new DestinationPolicy(false).check(target))
                .isInstanceOf(DestinationPolicy.ForbiddenDestinationException.class);
        new DestinationPolicy(true).check(target);
    }

    @Test
    void aPublicLiteralIsPinnedToItselfAndNothingIsPinnedWhenPrivateNetworksAreAllowed() throws Exception {
        assertThat(new DestinationPolicy(false).pin(URI.create("https://93.184.216.34/x")))
                .isEqualTo(InetAddress.getByName("93.184.216.34"));
        assertThat(new DestinationPolicy(false).pin(URI.create("https://[2606:4700:4700::1111]/x")))
                .isEqualTo(InetAddress.getByName("2606:4700:4700::1111"));
        assertThat(new DestinationPolicy(true).pin(URI.create("http://localhost:8080/api"))).isNull();
        assertThatThrownBy(() -> new DestinationPolicy(false).pin(URI.create("http://[::1]:8080/api")))
                .isInstanceOf(DestinationPolicy.ForbiddenDestinationException.class);
    }
}
