package dev.strata.cache.lookup;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Validating a stored response with the upstream (RFC 9111 §4.3).
 *
 * <p><b>Sending</b> (§4.3.1): the stored {@code ETag} as {@code If-None-Match} and the stored
 * {@code Last-Modified} as {@code If-Modified-Since} (RFC 9110 §13.1.3: a cache uses the {@code
 * Last-Modified} value as the date). An origin ignores {@code If-Modified-Since} when {@code
 * If-None-Match} is present, so sending both is safe.
 *
 * <p><b>Selecting</b> (§4.3.4): a 304 updates the stored response only when it is about the same
 * representation: its {@code ETag} matches the stored one (strongly when the 304's tag is strong,
 * weakly when it is weak); else, when the stored response has no {@code ETag}, its {@code
 * Last-Modified} equals the stored one (and, to stand in for a strong {@code ETag}, is itself strong:
 * the stored {@code Date} at least a second later, RFC 9110 §8.8.2.2); a 304 with no validator at all
 * matches only a stored response without one. A 304 that does not match must not be used to update
 * anything: fetch again without conditionals.
 *
 * <p><b>Updating</b> (§3.2, §4.3.4): every field of the 304 replaces the stored fields of the same
 * name (in place; new names are appended), except:
 *
 * <ul>
 *   <li>{@code Content-Length} (§3.2: caches MUST NOT update it);
 *   <li>{@code Content-Encoding} and {@code Content-Range}: the stored body's bytes depend on them
 *       (§3.2 "header fields that the cache's stored response depends upon"; a 304 cannot recode or
 *       re-slice the stored bytes). {@code Content-Type} is updated: our stored body is the bytes
 *       as received, not a parse of them, and §3.2 limits omissions to what integrity needs;
 *   <li>fields excepted from storage (§3.1): {@code Connection} and the fields it names, {@code
 *       Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Transfer-Encoding}, {@code
 *       Upgrade}, {@code Proxy-Authenticate}, {@code Proxy-Authentication-Info}, {@code
 *       Proxy-Authorization};
 *   <li>{@code Age}: the 304's {@code Age} is its age_value for the new age calculation (§4.2.3);
 *       neither it nor a stored {@code Age} is kept, since a cache sends its own.
 * </ul>
 *
 * <p>A 304 without {@code Date} is given one at its response time (RFC 9110 §6.6.1), so the old
 * {@code Date} does not make the refreshed response look as old as the first one. Freshness is then
 * computed again from the merged fields with the 304's request and response times; the body is the
 * stored one.
 *
 * <p>Stateless and thread-safe; cheap enough for an I/O thread.
 */
public final class Validators {
    private static final Set<String> NOT_UPDATED = Collections.unmodifiableSet(caseInsensitive(List.of(
            "Content-Length",
            "Content-Encoding",
            "Content-Range",
            "Connection",
            "Keep-Alive",
            "Proxy-Connection",
            "TE",
            "Transfer-Encoding",
            "Upgrade",
            "Proxy-Authenticate",
            "Proxy-Authentication-Info",
            "Proxy-Authorization",
            "Age")));

    private Validators() {}

    /**
     * The fields that make a request to the upstream conditional on the stored response: {@code
     * If-None-Match} from its {@code ETag} and {@code If-Modified-Since} from a valid {@code
     * Last-Modified}; empty when it has neither (the request is then unconditional).
     */
    public static HeaderList conditionalRequestHeaders(CachedResponse stored) {
        List<HeaderList.Field> fields = new ArrayList<>(2);
        // The tag in its quoted form: an origin's sloppy "ETag: abc" goes back as "abc" (RFC 9110 §8.8.3).
        @Nullable EntityTag etag = etagOf(stored.headers());
        if (etag != null) {
            fields.add(new HeaderList.Field("If-None-Match", etag.toString()));
        }
        @Nullable String lastModified = stored.headers().first("Last-Modified");
        if (lastModified != null && HttpDates.parse(lastModified).isPresent()) {
            fields.add(new HeaderList.Field("If-Modified-Since", lastModified.trim()));
        }
        return new HeaderList(fields);
    }

    /** Whether a 304 with {@code headersOf304} is about {@code stored} and may update it (§4.3.4). */
    public static boolean matches(CachedResponse stored, HeaderList headersOf304) {
        @Nullable EntityTag newTag = etagOf(headersOf304);
        @Nullable EntityTag storedTag = etagOf(stored.headers());
        OptionalLong newModified = lastModifiedOf(headersOf304);
        OptionalLong storedModified = lastModifiedOf(stored.headers());
        if (newTag != null && storedTag != null) {
            return newTag.weak() ? newTag.weakMatch(storedTag) : newTag.strongMatch(storedTag);
        }
        boolean sameModified = newModified.isPresent()
                && storedModified.isPresent()
                && newModified.getAsLong() == storedModified.getAsLong();
        if (newTag != null) {
            return sameModified && (newTag.weak() || hasStrongLastModified(stored, storedModified.getAsLong()));
        }
        if (newModified.isPresent()) {
            return sameModified;
        }
        return storedTag == null && storedModified.isEmpty();
    }

    /**
     * The stored response updated with a 304 (see the class comment for which fields change).
     *
     * @param stored the stored response the 304 {@link #matches}
     * @param headersOf304 the 304's header fields, including its {@code Date} and {@code Age}
     * @param requestTimeMillis when the conditional request was sent (epoch ms)
     * @param responseTimeMillis when the 304 was received (epoch ms): the new stored-at time
     * @param policy the site's cache policy (heuristic freshness)
     */
    public static CachedResponse refreshed(
            CachedResponse stored,
            HeaderList headersOf304,
            long requestTimeMillis,
            long responseTimeMillis,
            CachePolicyConfig policy) {
        requireNonNull(policy, "policy");
        Set<String> excluded = caseInsensitive(NOT_UPDATED);
        for (String line : headersOf304.all("Connection")) {
            for (String name : line.split(",", -1)) {
                if (!name.isBlank()) {
                    excluded.add(name.trim());
                }
            }
        }
        List<HeaderList.Field> updates = new ArrayList<>();
        for (HeaderList.Field field : headersOf304.fields()) {
            if (!excluded.contains(field.name())) {
                updates.add(field);
            }
        }
        if (!headersOf304.contains("Date")) {
            updates.add(new HeaderList.Field("Date", HttpDates.format(responseTimeMillis)));
        }
        HeaderList merged = merge(stored.headers().without(Set.of("Age")), updates);
        @Nullable String age = headersOf304.first("Age");
        HeaderList forFreshness = age == null ? merged : merged.plus(HeaderList.of("Age", age));
        Freshness freshness =
                Freshness.of(stored.status(), forFreshness, requestTimeMillis, responseTimeMillis, policy);
        return new CachedResponse(stored.status(), merged, stored.body(), responseTimeMillis, freshness);
    }

    /** {@code stored} with every name in {@code updates} replaced in place; new names appended. */
    private static HeaderList merge(HeaderList stored, List<HeaderList.Field> updates) {
        Set<String> updatedNames = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (HeaderList.Field field : updates) {
            updatedNames.add(field.name());
        }
        Set<String> emitted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<HeaderList.Field> merged = new ArrayList<>(stored.fields().size() + updates.size());
        for (HeaderList.Field field : stored.fields()) {
            if (!updatedNames.contains(field.name())) {
                merged.add(field);
            } else if (emitted.add(field.name())) {
                for (HeaderList.Field update : updates) {
                    if (update.name().equalsIgnoreCase(field.name())) {
                        merged.add(update);
                    }
                }
            }
        }
        for (HeaderList.Field update : updates) {
            if (!emitted.contains(update.name())) {
                merged.add(update);
            }
        }
        return new HeaderList(merged);
    }

    /**
     * RFC 9110 §8.8.2.2: a cache comparing against its own stored entry may treat Last-Modified as
     * strong only when the stored Date is at least 60 seconds later.
     */
    private static boolean hasStrongLastModified(CachedResponse stored, long lastModifiedMillis) {
        @Nullable String date = stored.headers().first("Date");
        OptionalLong dateMillis = date == null ? OptionalLong.empty() : HttpDates.parse(date);
        return dateMillis.isPresent() && dateMillis.getAsLong() >= lastModifiedMillis + 60_000;
    }

    static @Nullable EntityTag etagOf(HeaderList headers) {
        @Nullable String etag = headers.first("ETag");
        return etag == null ? null : EntityTag.parse(etag);
    }

    static OptionalLong lastModifiedOf(HeaderList headers) {
        @Nullable String lastModified = headers.first("Last-Modified");
        return lastModified == null ? OptionalLong.empty() : HttpDates.parse(lastModified);
    }

    private static Set<String> caseInsensitive(Iterable<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            set.add(name);
        }
        return set;
    }
}
