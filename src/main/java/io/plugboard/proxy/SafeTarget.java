package io.plugboard.proxy;

import java.net.URI;

/**
 * Builds the provider URL from the connector's base and the caller's path, refusing anything that could
 * leave the base: dot segments, encoded slashes or dots, backslashes, another host. Internal addresses are
 * {@link io.plugboard.connector.DestinationPolicy}'s concern.
 */
final class SafeTarget {

    private SafeTarget() {
    }

    static URI build(URI base, String path, String rawQuery) {
        if (hasForbidden(path)) {
            throw new ProxyException(400, "invalid-path", "The path contains characters that are not allowed "
                    + "(encoded slashes or dots, or backslashes).");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ProxyException(400, "invalid-path", "The path may not contain '.' or '..' segments.");
            }
        }
        String basePath = withoutTrailingSlashes(base.getRawPath());
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

    /**
     * Encoded separators and dots ({@code %2f %5c %2e}, any case) and {@code %00} would be decoded by some servers
     * into a different path; a backslash is a separator for others. A literal '@' is allowed: the authority comes
     * from the base URL, and the built URL's host is checked afterwards. A scan rather than a regular expression:
     * this runs on every proxied call.
     */
    static boolean hasForbidden(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                return true;
            }
            if (c == '%' && i + 2 < path.length()) {
                char high = path.charAt(i + 1);
                char low = path.charAt(i + 2);
                if (high == '2' && (low == 'f' || low == 'F' || low == 'e' || low == 'E')
                        || high == '5' && (low == 'c' || low == 'C') || high == '0' && low == '0') {
                    return true;
                }
            }
        }
        return false;
    }

    private static String withoutTrailingSlashes(String rawPath) {
        if (rawPath == null) {
            return "";
        }
        int end = rawPath.length();
        while (end > 0 && rawPath.charAt(end - 1) == '/') {
            end--;
        }
        return rawPath.substring(0, end);
    }
}
