package io.plugboard.connector;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where Plugboard may send requests on a connector's behalf (API calls, token and revocation endpoints,
 * connection checks): public addresses only, unless the operator allows private networks for
 * self-hosted providers. Connector definitions come from tenants too, so this guards against SSRF.
 */
@Component
public class DestinationPolicy {

    /** A destination that resolves to a network Plugboard may not reach. */
    public static class ForbiddenDestinationException extends RuntimeException {
        public ForbiddenDestinationException(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final TrustedHttpOrigins trusted;

    @Autowired
    public DestinationPolicy(@Value("${plugboard.proxy.allow-private-addresses:false}") boolean allowPrivate,
                             ObjectProvider<TrustedHttpOrigins> trusted) {
        this.allowPrivate = allowPrivate;
        this.trusted = trusted.getIfAvailable(() -> TrustedHttpOrigins.NONE);
    }

    public DestinationPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
        this.trusted = TrustedHttpOrigins.NONE;
    }

    /** Throws when the host resolves to a loopback, private, link-local or otherwise internal address. */
    public void check(URI target) {
        // Demo mode's sandbox runs inside Plugboard itself, on its public URL.
        if (allowPrivate || trusted.trusts(target)) {
            return;
        }
        if (target.getHost() == null) {
            throw new ForbiddenDestinationException("The destination has no host.");
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(IDN.toASCII(target.getHost()).toLowerCase(Locale.ROOT))) {
                if (internal(address)) {
                    throw new ForbiddenDestinationException("The provider's address resolves to a private or loopback "
                            + "network, which this Plugboard does not allow.");
                }
            }
        } catch (UnknownHostException e) {
            // Unresolvable: the request itself will fail as unreachable.
        }
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) || (first == 192 && second == 0)
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc;
        }
        return false;
    }
}
