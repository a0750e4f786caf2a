package dev.strata.cache.fresh;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How long a stored response may be reused without asking upstream, and how old it already was when
 * stored (RFC 9111 §4.2).
 *
 * <p><b>Lifetime</b> (§4.2.1): {@code s-maxage} (we are a shared cache), else {@code max-age},
 * else {@code Expires} minus {@code Date} (an invalid {@code Expires} means already stale), else a
 * heuristic (§4.2.2) of a fraction of the time since {@code Last-Modified}, capped, and only for
 * statuses that are heuristically cacheable.
 *
 * <p><b>Age</b> (§4.2.3): the corrected initial age when stored, {@code max(apparent_age,
 * corrected_age_value)} where {@code apparent_age = max(0, response_time - date_value)} and {@code
 * corrected_age_value = age_value + (response_time - request_time)}; the current age adds the time
 * resident in this cache.
 *
 * @param lifetime the freshness lifetime
 * @param age the corrected initial age when stored
 */
public record Freshness(Duration lifetime, Duration age) {
    /** Statuses cacheable by default (RFC 9110 §15.1), for which heuristics are allowed. */
    public static final Set<Integer> HEURISTICALLY_CACHEABLE =
            Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    public Freshness {
        requireNonNull(lifetime, "lifetime");
        requireNonNull(age, "age");
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: >= 0)");
        }
        if (age.isNegative()) {
            throw new IllegalArgumentException("age: " + age + " (expected: >= 0)");
        }
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
        CacheControl cc = CacheControl.parse(headers.all("Cache-Control"));
        long dateMillis = dateOf(headers, responseTimeMillis);
        return new Freshness(
                lifetime(status, cc, headers, dateMillis, policy),
                initialAge(headers, dateMillis, requestTimeMillis, responseTimeMillis));
    }

    private static Duration lifetime(
            int status, CacheControl cc, HeaderList headers, long dateMillis, CachePolicyConfig policy) {
        OptionalLong explicit = cc.seconds("s-maxage");
        if (explicit.isEmpty()) {
            explicit = cc.seconds("max-age");
        }
        if (explicit.isPresent()) {
            return Duration.ofSeconds(explicit.getAsLong());
        }
        @Nullable String expires = headers.first("Expires");
        if (expires != null) {
            OptionalLong expiresMillis = HttpDates.parse(expires);
            return expiresMillis.isPresent()
                    ? Duration.ofMillis(Math.max(0, expiresMillis.getAsLong() - dateMillis))
                    : Duration.ZERO;
        }
        @Nullable String lastModified = headers.first("Last-Modified");
        if (lastModified != null && HEURISTICALLY_CACHEABLE.contains(status)) {
            OptionalLong modifiedMillis = HttpDates.parse(lastModified);
            if (modifiedMillis.isPresent() && modifiedMillis.getAsLong() < dateMillis) {
                long heuristic = (long) ((dateMillis - modifiedMillis.getAsLong()) * policy.heuristicFraction());
                return Duration.ofMillis(
                        Math.min(heuristic, policy.heuristicMax().toMillis()));
            }
        }
        return Duration.ZERO;
    }

    /** Whether the response states its own lifetime (max-age, s-maxage or Expires). */
    public static boolean hasExplicitLifetime(HeaderList headers) {
        CacheControl cc = CacheControl.parse(headers.all("Cache-Control"));
        return cc.has("s-maxage") || cc.has("max-age") || headers.contains("Expires");
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

    /** Whether the response is still fresh after {@code resident} in this cache. */
    public boolean isFresh(Duration resident) {
        return currentAge(resident).compareTo(lifetime) < 0;
    }
}
