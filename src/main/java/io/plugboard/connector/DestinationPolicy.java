package io.plugboard.connector;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
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
        try {
            pin(target);
        } catch (UnknownHostException e) {
            // Unresolvable: the request itself will fail as unreachable.
        }
    }

    /**
     * The address to connect to for {@code target}, checked: the caller connects to exactly this address (and
     * names the host only in the Host header and TLS), so a DNS answer that changes between the check and the
     * connection (DNS rebinding) cannot lead anywhere unchecked. {@code null} when every destination is allowed
     * (private networks allowed, or a trusted origin): the client may resolve the host itself.
     *
     * @throws UnknownHostException the host does not resolve
     */
    public @Nullable InetAddress pin(URI target) throws UnknownHostException {
        // Demo mode's sandbox runs inside Plugboard itself, on its public URL.
        if (allowPrivate || trusted.trusts(target)) {
            return null;
        }
        if (target.getHost() == null) {
            throw new ForbiddenDestinationException("The destination has no host.");
        }
        String host = target.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses = InetAddress.getAllByName(IDN.toASCII(host).toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (internal(address)) {
                throw new ForbiddenDestinationException("The provider's address resolves to a private or loopback "
                        + "network, which this Plugboard does not allow.");
            }
        }
        return addresses[0];
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
            if ((b[0] & 0xfe) == 0xfc || isDocumentationOrDiscard(b) || isTeredo(b)) {
                return true;
            }
            // Forms that carry an IPv4 address, which a gateway may route to: the address inside decides.
            byte[] embedded = embeddedIpv4(b);
            return embedded != null && internal(ipv4(embedded));
        }
        return false;
    }

    /** The IPv4 address inside IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16). */
    private static byte @Nullable [] embeddedIpv4(byte[] b) {
        if (allZero(b, 0, 12)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if ((b[0] & 0xff) == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    /** 2001:db8::/32 (documentation) and 100::/64 (discard-only): never a provider. */
    private static boolean isDocumentationOrDiscard(byte[] b) {
        return ((b[0] & 0xff) == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8)
                || (b[0] == 0x01 && b[1] == 0x00 && allZero(b, 2, 8));
    }

    /** 2001::/32: Teredo hides the IPv4 destination (obfuscated), so it is refused outright. */
    private static boolean isTeredo(byte[] b) {
        return (b[0] & 0xff) == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] fourBytes) {
        try {
            return InetAddress.getByAddress(fourBytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
