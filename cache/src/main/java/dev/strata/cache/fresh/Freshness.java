package dev.strata.cache.fresh;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How long a stored response may be reused without asking upstream, how old it already was when
 * stored, and how it may be reused once stale (RFC 9111 §4.2, RFC 5861).
 *
 * <p><b>Which directives</b>: {@code CDN-Cache-Control}, else {@code Surrogate-Control} ({@code
 * max-age} only), else {@code Cache-Control} and {@code Expires} (RFC 9213 §2.1; see {@link
 * #TARGETED_FIELDS}). A targeted field that is selected replaces {@code Cache-Control} entirely for
 * everything below.
 *
 * <p><b>Lifetime</b> (§4.2.1): {@code s-maxage} (we are a shared cache), else {@code max-age},
 * else {@code Expires} minus {@code Date} (an invalid {@code Expires} means already stale; not with
 * a targeted field), else a heuristic (§4.2.2) of a fraction of the time since {@code
 * Last-Modified}, capped, and only for statuses that are heuristically cacheable.
 *
 * <p><b>Age</b> (§4.2.3): the corrected initial age when stored, {@code max(apparent_age,
 * corrected_age_value)} where {@code apparent_age = max(0, response_time - date_value)} and {@code
 * corrected_age_value = age_value + (response_time - request_time)}; the current age adds the time
 * resident in this cache.
 *
 * <p><b>Stale windows</b> (RFC 5861): {@code stale-while-revalidate} and {@code stale-if-error},
 * zero when absent, measured from the moment the response becomes stale.
 *
 * <p><b>Revalidation</b>: {@code mustRevalidate} for {@code must-revalidate}, {@code
 * proxy-revalidate} and {@code s-maxage} (which implies {@code proxy-revalidate} for a shared cache,
 * §5.2.2.10): never served stale, whatever the stale windows or the client's {@code max-stale}
 * say (§4.2.4). {@code noCache} for {@code no-cache}: stored, but validated before every use
 * (§5.2.2.4); a qualified {@code no-cache="Set-Cookie"} is treated as unqualified, which is simpler
 * and safe.
 *
 * @param lifetime the freshness lifetime
 * @param age the corrected initial age when stored
 * @param staleWhileRevalidate how long past its lifetime the response may be served while it is
 *     revalidated in the background (RFC 5861 §3)
 * @param staleIfError how long past its lifetime the response may be served when revalidating or
 *     fetching fails (RFC 5861 §4)
 * @param mustRevalidate never serve the response stale
 * @param noCache validate the response before every use, fresh or not
 */
public record Freshness(
        Duration lifetime,
        Duration age,
        Duration staleWhileRevalidate,
        Duration staleIfError,
        boolean mustRevalidate,
        boolean noCache) {
    /** Statuses cacheable by default (RFC 9110 §15.1), for which heuristics are allowed. */
    public static final Set<Integer> HEURISTICALLY_CACHEABLE =
            Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    /**
     * The targeted cache-control fields we obey, in precedence order (RFC 9213): they address this
     * cache, so a proxy removes them before answering a client (and stores them, so a revalidation
     * can recompute freshness from the stored fields).
     */
    public static final Set<String> TARGETED_FIELDS = Set.of("CDN-Cache-Control", "Surrogate-Control");

    public Freshness {
        requireNonNull(lifetime, "lifetime");
        requireNonNull(age, "age");
        requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
        requireNonNull(staleIfError, "staleIfError");
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: >= 0)");
        }
        if (age.isNegative()) {
            throw new IllegalArgumentException("age: " + age + " (expected: >= 0)");
        }
        if (staleWhileRevalidate.isNegative()) {
            throw new IllegalArgumentException("staleWhileRevalidate: " + staleWhileRevalidate + " (expected: >= 0)");
        }
        if (staleIfError.isNegative()) {
            throw new IllegalArgumentException("staleIfError: " + staleIfError + " (expected: >= 0)");
        }
    }

    /** A freshness without stale windows or revalidation rules. */
    public Freshness(Duration lifetime, Duration age) {
        this(lifetime, age, Duration.ZERO, Duration.ZERO, false, false);
    }

    /**
     * The freshness of a response as received.
     *
     * @param status the response status
     * @param headers the response headers
     * @param requestTimeMillis when the request was sent upstream (epoch ms)
     * @param responseTimeMillis when the response was received (epoch ms)
     * @param policy the site's cache policy (heuristic fraction and cap)
     */
    public static Freshness of(
            int status, HeaderList headers, long requestTimeMillis, long responseTimeMillis, CachePolicyConfig policy) {
        ResponseControl control = ResponseControl.of(headers);
        long dateMillis = dateOf(headers, responseTimeMillis);
        return withRules(
                lifetime(status, control, headers, dateMillis, policy),
                initialAge(headers, dateMillis, requestTimeMillis, responseTimeMillis),
                control);
    }

    /**
     * A freshness with the given lifetime and age, and the stale windows and revalidation rules the
     * response's {@code headers} state. For records stored before those were kept (see {@code
     * DiskFormat}).
     */
    public static Freshness from(Duration lifetime, Duration age, HeaderList headers) {
        return withRules(lifetime, age, ResponseControl.of(headers));
    }

    private static Freshness withRules(Duration lifetime, Duration age, ResponseControl control) {
        CacheControl directives = control.directives();
        return new Freshness(
                lifetime,
                age,
                seconds(directives, "stale-while-revalidate"),
                seconds(directives, "stale-if-error"),
                directives.has("must-revalidate") || directives.has("proxy-revalidate") || directives.has("s-maxage"),
                directives.has("no-cache"));
    }

    private static Duration seconds(CacheControl directives, String name) {
        OptionalLong value = directives.seconds(name);
        return value.isPresent() ? Duration.ofSeconds(value.getAsLong()) : Duration.ZERO;
    }

    private static Duration lifetime(
            int status, ResponseControl control, HeaderList headers, long dateMillis, CachePolicyConfig policy) {
        CacheControl cc = control.directives();
        OptionalLong explicit = cc.seconds("s-maxage");
        if (explicit.isEmpty()) {
            explicit = cc.seconds("max-age");
        }
        if (explicit.isPresent()) {
            return Duration.ofSeconds(explicit.getAsLong());
        }
        @Nullable String expires = control.usesExpires() ? headers.first("Expires") : null;
        if (expires != null) {
            OptionalLong expiresMillis = HttpDates.parse(expires);
            return expiresMillis.isPresent()
                    ? Duration.ofMillis(Math.max(0, expiresMillis.getAsLong() - dateMillis))
                    : Duration.ZERO;
        }
        @Nullable String lastModified = headers.first("Last-Modified");
        // §4.2.2: heuristics only for statuses cacheable by default or responses marked public.
        if (lastModified != null
                && (HEURISTICALLY_CACHEABLE.contains(status)
                        || control.storageDirectives().has("public"))) {
            OptionalLong modifiedMillis = HttpDates.parse(lastModified);
            if (modifiedMillis.isPresent() && modifiedMillis.getAsLong() < dateMillis) {
                long heuristic = (long) ((dateMillis - modifiedMillis.getAsLong()) * policy.heuristicFraction());
                return Duration.ofMillis(
                        Math.min(heuristic, policy.heuristicMax().toMillis()));
            }
        }
        return Duration.ZERO;
    }

    /**
     * Whether the response states its own lifetime: {@code s-maxage} or {@code max-age} in the
     * governing directives, or {@code Expires} when no targeted field is selected.
     */
    public static boolean hasExplicitLifetime(HeaderList headers) {
        ResponseControl control = ResponseControl.of(headers);
        CacheControl cc = control.directives();
        return cc.has("s-maxage") || cc.has("max-age") || (control.usesExpires() && headers.contains("Expires"));
    }

    private static long dateOf(HeaderList headers, long responseTimeMillis) {
        @Nullable String date = headers.first("Date");
        if (date == null) {
            return responseTimeMillis;
        }
        OptionalLong parsed = HttpDates.parse(date);
        return parsed.isPresent() ? parsed.getAsLong() : responseTimeMillis;
    }

    private static Duration initialAge(
            HeaderList headers, long dateMillis, long requestTimeMillis, long responseTimeMillis) {
        long apparentAge = Math.max(0, responseTimeMillis - dateMillis);
        long ageValue = 0;
        @Nullable String age = headers.first("Age");
        if (age != null) {
            ageValue = CacheControl.deltaSeconds(age.trim()) * 1000;
        }
        long responseDelay = Math.max(0, responseTimeMillis - requestTimeMillis);
        return Duration.ofMillis(Math.max(apparentAge, ageValue + responseDelay));
    }

    /** The age after {@code resident} in this cache. */
    public Duration currentAge(Duration resident) {
        return age.plus(resident);
    }

    /**
     * Whether the response may never be served stale: {@code must-revalidate}, {@code
     * proxy-revalidate}, {@code s-maxage} or {@code no-cache} (RFC 9111 §4.2.4).
     */
    public boolean forbidsStale() {
        return mustRevalidate || noCache;
    }

    /** Whether the response is still fresh after {@code resident} in this cache. */
    public boolean isFresh(Duration resident) {
        return currentAge(resident).compareTo(lifetime) < 0;
    }
}
