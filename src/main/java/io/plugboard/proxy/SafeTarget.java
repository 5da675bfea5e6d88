package io.plugboard.proxy;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the provider URL from the connector's base and the caller's path, refusing anything that could
 * leave the base: dot segments, encoded slashes or dots, backslashes, another host, and (unless the operator
 * allows it) loopback, private and link-local addresses.
 */
final class SafeTarget {

    /**
     * Encoded separators and dots would be decoded by some servers into a different path; a backslash is
     * a separator for others. A literal '@' is allowed: the authority comes from the base URL, and the
     * built URL's host is checked afterwards.
     */
    private static final Pattern FORBIDDEN = Pattern.compile("(?i)(%2f|%5c|%2e|%00|\\\\)");

    private SafeTarget() {
    }

    static URI build(URI base, String path, String rawQuery) {
        if (FORBIDDEN.matcher(path).find()) {
            throw new ProxyException(400, "invalid-path", "The path contains characters that are not allowed "
                    + "(encoded slashes or dots, or backslashes).");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ProxyException(400, "invalid-path", "The path may not contain '.' or '..' segments.");
            }
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String joined = basePath + (path.startsWith("/") ? path : "/" + path);
        URI target;
        try {
            target = URI.create(base.getScheme() + "://" + base.getRawAuthority() + joined
                    + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        } catch (IllegalArgumentException e) {
            throw new ProxyException(400, "invalid-path", "The path or query has characters that must be "
                    + "percent-encoded (such as spaces).");
        }
        if (!target.getHost().equalsIgnoreCase(base.getHost()) || target.getPort() != base.getPort()
                || target.getRawUserInfo() != null) {
            throw new ProxyException(400, "invalid-path", "The path would leave the connector's API.");
        }
        return target;
    }

    /** Refuses hosts that resolve to internal addresses, unless the operator allowed them. */
    static void checkAddress(URI target, boolean allowPrivate) {
        if (allowPrivate) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(IDN.toASCII(target.getHost()).toLowerCase(Locale.ROOT))) {
                if (internal(address)) {
                    throw new ProxyException(403, "forbidden-destination", "The connector's API address resolves to "
                            + "a private or loopback network, which this Plugboard does not allow.");
                }
            }
        } catch (UnknownHostException e) {
            throw new ProxyException(502, "provider-unreachable", "The provider's host could not be resolved.");
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
