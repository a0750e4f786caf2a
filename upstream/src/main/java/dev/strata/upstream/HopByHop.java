package dev.strata.upstream;

import dev.strata.cache.store.HeaderList;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1): those a proxy must not forward, plus any named in
 * {@code Connection}.
 */
public final class HopByHop {
    private static final Set<String> ALWAYS = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length",
            "host");

    private HopByHop() {}

    /**
     * {@code headers} without hop-by-hop fields, the fields named in {@code Connection}, {@code
     * Content-Length} (the next hop computes its own) and {@code Host} (sent separately).
     */
    public static HeaderList strip(HeaderList headers) {
        Set<String> drop = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        drop.addAll(ALWAYS);
        for (String connection : headers.all("Connection")) {
            for (String token : connection.split(",", -1)) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    drop.add(name);
                }
            }
        }
        return headers.without(drop);
    }
}
