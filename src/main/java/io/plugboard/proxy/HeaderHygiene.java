package io.plugboard.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the proxy. Hop-by-hop headers never do; the caller's credentials, cookies and
 * Plugboard's own headers never reach the provider; the provider's cookies never reach the caller.
 */
final class HeaderHygiene {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
    private static final Set<String> NEVER_UPSTREAM = Set.of("authorization", "cookie", "host", "content-length",
            "expect", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-real-ip", "x-credential-id", "origin", "referer");
    private static final Set<String> NEVER_DOWNSTREAM = Set.of("set-cookie", "set-cookie2", "content-length");

    private HeaderHygiene() {
    }

    static Map<String, List<String>> upstream(Map<String, List<String>> headers) {
        return filter(headers, NEVER_UPSTREAM);
    }

    static Map<String, List<String>> downstream(Map<String, List<String>> headers) {
        return filter(headers, NEVER_DOWNSTREAM);
    }

    private static Map<String, List<String>> filter(Map<String, List<String>> headers, Set<String> never) {
        var named = new java.util.HashSet<String>();
        headers.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("connection")) {
                values.forEach(v -> {
                    for (String token : v.split(",")) {
                        named.add(token.strip().toLowerCase(Locale.ROOT));
                    }
                });
            }
        });
        var result = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) -> {
            if (name == null || name.startsWith(":")) {
                return;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || never.contains(lower) || named.contains(lower)
                    || lower.startsWith("x-plugboard-")) {
                return;
            }
            result.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
        });
        return result;
    }
}
