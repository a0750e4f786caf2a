package dev.strata.cache.lookup;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.fresh.CacheControl;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The cache directives of a request (RFC 9111 §5.2.1), as far as they decide whether a stored
 * response may answer it.
 *
 * <p>{@code max-age=0} is read as {@code no-cache} (both mean "validate first"; a browser reload
 * sends either), and {@code Pragma: no-cache} counts as {@code no-cache} when the request has no
 * {@code Cache-Control} (§5.4). Invalid delta-seconds read as 0, the most demanding value.
 * Immutable.
 *
 * @param noCache the client wants a stored response validated before use (§5.2.1.4)
 * @param noStore nothing of the request or its response may be stored (§5.2.1.5); it does not stop a
 *     stored response from answering
 * @param maxAge the oldest response, in seconds, the client accepts (§5.2.1.1); never 0 (that is
 *     {@code noCache})
 * @param maxStale how long past its lifetime, in seconds, a response may be (§5.2.1.2); {@link
 *     #UNLIMITED} for {@code max-stale} without a value
 * @param minFresh how long, in seconds, the response must stay fresh (§5.2.1.3)
 * @param onlyIfCached the client wants a stored response or a 504 (§5.2.1.7); see {@link
 *     LookupResult#decide}
 * @param staleIfError how long past its lifetime, in seconds, the client accepts a response when
 *     the upstream fails (RFC 5861 §4), on top of what the response itself allows
 */
public record RequestDirectives(
        boolean noCache,
        boolean noStore,
        OptionalLong maxAge,
        OptionalLong maxStale,
        OptionalLong minFresh,
        boolean onlyIfCached,
        OptionalLong staleIfError) {
    /** The {@link #maxStale} of a bare {@code max-stale}: any staleness. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final RequestDirectives NONE = new RequestDirectives(
            false,
            false,
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            false,
            OptionalLong.empty());

    public RequestDirectives {
        requireNonNull(maxAge, "maxAge");
        requireNonNull(maxStale, "maxStale");
        requireNonNull(minFresh, "minFresh");
        requireNonNull(staleIfError, "staleIfError");
        checkNotNegative("maxAge", maxAge);
        checkNotNegative("maxStale", maxStale);
        checkNotNegative("minFresh", minFresh);
        checkNotNegative("staleIfError", staleIfError);
    }

    private static void checkNotNegative(String name, OptionalLong seconds) {
        if (seconds.isPresent() && seconds.getAsLong() < 0) {
            throw new IllegalArgumentException(name + ": " + seconds.getAsLong() + " (expected: >= 0)");
        }
    }

    /** A request without directives. */
    public static RequestDirectives none() {
        return NONE;
    }

    /**
     * The directives of a request's headers.
     *
     * @param request the request header fields
     * @param policy the site's policy: with {@link CachePolicyConfig#ignoreClientNoCache()}, {@code
     *     no-cache}, {@code max-age=0} and {@code Pragma: no-cache} are ignored (origin protection);
     *     {@code max-age=N} for N &gt; 0 and the other directives still apply
     */
    public static RequestDirectives parse(HeaderList request, CachePolicyConfig policy) {
        List<String> lines = request.all("Cache-Control");
        if (lines.isEmpty()) {
            boolean pragmaNoCache = hasPragmaNoCache(request) && !policy.ignoreClientNoCache();
            return pragmaNoCache
                    ? new RequestDirectives(
                            true,
                            false,
                            OptionalLong.empty(),
                            OptionalLong.empty(),
                            OptionalLong.empty(),
                            false,
                            OptionalLong.empty())
                    : NONE;
        }
        CacheControl cc = CacheControl.parse(lines);
        OptionalLong maxAge = cc.seconds("max-age");
        boolean noCache = cc.has("no-cache");
        if (maxAge.isPresent() && maxAge.getAsLong() == 0) {
            noCache = true;
            maxAge = OptionalLong.empty();
        }
        if (policy.ignoreClientNoCache()) {
            noCache = false;
        }
        @Nullable String maxStale = cc.value("max-stale");
        return new RequestDirectives(
                noCache,
                cc.has("no-store"),
                maxAge,
                maxStale == null
                        ? OptionalLong.empty()
                        : OptionalLong.of(maxStale.isEmpty() ? UNLIMITED : CacheControl.deltaSeconds(maxStale)),
                cc.seconds("min-fresh"),
                cc.has("only-if-cached"),
                cc.seconds("stale-if-error"));
    }

    private static boolean hasPragmaNoCache(HeaderList request) {
        for (String line : request.all("Pragma")) {
            for (String directive : line.split(",", -1)) {
                if (directive.trim().toLowerCase(Locale.ROOT).equals("no-cache")) {
                    return true;
                }
            }
        }
        return false;
    }
}
