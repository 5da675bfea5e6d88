package io.plugboard.proxy;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Builds the provider URL from the connector's base and the caller's path, refusing anything that could
 * leave the base: dot segments, encoded slashes or dots, backslashes, another host. Internal addresses are
 * {@link io.plugboard.connector.DestinationPolicy}'s concern.
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
}
