package dev.strata.cache.lookup;

import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A client's conditional request evaluated against the stored response a cache is about to serve
 * (RFC 9111 §4.3.2, RFC 9110 §13.2.2), so a client revalidating its own copy gets a 304 from the
 * cache instead of the whole body.
 *
 * <p>Order (RFC 9110 §13.2.2):
 *
 * <ol>
 *   <li>{@code If-Match}: when present and no member matches the stored {@code ETag} by strong
 *       comparison ({@code *} matches any stored response): 412;
 *   <li>else {@code If-Unmodified-Since}: when a valid single date and the stored {@code
 *       Last-Modified} is later: 412 (ignored without a stored {@code Last-Modified});
 *   <li>{@code If-None-Match}: when present and a member matches the stored {@code ETag} by weak
 *       comparison ({@code *} matches any): 304 for GET and HEAD, 412 otherwise;
 *   <li>else, for GET and HEAD, {@code If-Modified-Since}: when a valid single date and the stored
 *       response was not modified after it: 304. Without a stored {@code Last-Modified} the stored
 *       {@code Date} stands in, else the time it was stored (RFC 9111 §4.3.2);
 *   <li>otherwise proceed and serve the stored response. {@code If-Range} is not evaluated here: it
 *       belongs with range requests.
 * </ol>
 *
 * <p>Preconditions are ignored for a stored response that is not 2xx (RFC 9110 §13.2.1: a redirect
 * or an error takes precedence). Note that RFC 9111 §4.3.2 calls {@code If-Match} and {@code
 * If-Unmodified-Since} "not applicable to a cache": we still evaluate them against a response we
 * are about to serve as current, which answers what the origin would for that representation.
 *
 * <p>Stateless and thread-safe; cheap enough for an I/O thread.
 */
public final class ClientConditionals {
    /** What to do with the request. */
    public enum Outcome {
        /** Serve the stored response as usual. */
        PROCEED,
        /** Answer 304 (Not Modified) with {@link #notModifiedHeaders}. */
        NOT_MODIFIED,
        /** Answer 412 (Precondition Failed). */
        PRECONDITION_FAILED
    }

    /** The fields a 304 carries (RFC 9110 §15.4.5), plus {@code Last-Modified} to guide cache updates. */
    private static final Set<String> NOT_MODIFIED_FIELDS = Collections.unmodifiableSet(caseInsensitive(
            List.of("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary", "Last-Modified")));

    private ClientConditionals() {}

    /**
     * Evaluates the request's preconditions against {@code stored}.
     *
     * @param request the client's request header fields
     * @param method the request method, case-sensitive ({@code GET}, {@code HEAD}, …)
     * @param stored the response the cache would otherwise serve
     */
    public static Outcome evaluate(HeaderList request, String method, CachedResponse stored) {
        if (stored.status() < 200 || stored.status() > 299) {
            return Outcome.PROCEED;
        }
        @Nullable EntityTag storedTag = Validators.etagOf(stored.headers());
        OptionalLong lastModified = Validators.lastModifiedOf(stored.headers());
        List<String> ifMatch = EntityTag.members(request.all("If-Match"));
        if (!ifMatch.isEmpty()) {
            if (!anyMatches(ifMatch, storedTag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            OptionalLong ifUnmodifiedSince = singleDate(request.all("If-Unmodified-Since"));
            if (ifUnmodifiedSince.isPresent()
                    && lastModified.isPresent()
                    && lastModified.getAsLong() > ifUnmodifiedSince.getAsLong()) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        List<String> ifNoneMatch = EntityTag.members(request.all("If-None-Match"));
        if (!ifNoneMatch.isEmpty()) {
            if (anyMatches(ifNoneMatch, storedTag, false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
            return Outcome.PROCEED;
        }
        if (getOrHead) {
            OptionalLong ifModifiedSince = singleDate(request.all("If-Modified-Since"));
            if (ifModifiedSince.isPresent() && modifiedAt(stored, lastModified) <= ifModifiedSince.getAsLong()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * The fields of {@code stored} that a 304 answering from it carries, in stored order: {@code
     * Cache-Control}, {@code Content-Location}, {@code Date}, {@code ETag}, {@code Expires}, {@code
     * Vary} (RFC 9110 §15.4.5) and {@code Last-Modified}. The caller adds {@code Age} and its own
     * fields.
     */
    public static HeaderList notModifiedHeaders(CachedResponse stored) {
        List<HeaderList.Field> fields = new ArrayList<>();
        for (HeaderList.Field field : stored.headers().fields()) {
            if (NOT_MODIFIED_FIELDS.contains(field.name())) {
                fields.add(field);
            }
        }
        return new HeaderList(fields);
    }

    private static boolean anyMatches(List<String> members, @Nullable EntityTag storedTag, boolean strong) {
        for (String member : members) {
            if (member.equals("*")) {
                return true;
            }
            @Nullable EntityTag tag = EntityTag.parse(member);
            if (tag != null && storedTag != null && (strong ? tag.strongMatch(storedTag) : tag.weakMatch(storedTag))) {
                return true;
            }
        }
        return false;
    }

    /** The date of a field with exactly one valid HTTP-date; empty otherwise (the field is ignored). */
    private static OptionalLong singleDate(List<String> lines) {
        return lines.size() == 1 ? HttpDates.parse(lines.get(0)) : OptionalLong.empty();
    }

    private static long modifiedAt(CachedResponse stored, OptionalLong lastModified) {
        if (lastModified.isPresent()) {
            return lastModified.getAsLong();
        }
        @Nullable String date = stored.headers().first("Date");
        OptionalLong dateMillis = date == null ? OptionalLong.empty() : HttpDates.parse(date);
        return dateMillis.isPresent() ? dateMillis.getAsLong() : stored.storedAtMillis();
    }

    private static Set<String> caseInsensitive(List<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return set;
    }
}
