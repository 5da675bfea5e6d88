package io.plugboard.connector;

import java.net.InetAddress;
import java.net.URI;

/**
 * A destination policy under which every host resolves to one address, taken as checked: it stands in for a public
 * host whose checked address is where a test's WireMock listens. With a host under {@code .invalid} (RFC 6761: never
 * resolves) a request can only arrive if the client connected to the pinned address without looking the name up.
 */
public final class PinningPolicy extends DestinationPolicy {

    private final InetAddress address;

    private PinningPolicy(InetAddress address) {
        super(false);
        this.address = address;
    }

    public static PinningPolicy toLoopback() {
        return new PinningPolicy(InetAddress.getLoopbackAddress());
    }

    @Override
    public InetAddress pin(URI target) {
        return address;
    }
}
