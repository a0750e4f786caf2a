package dev.strata.origin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Conditional requests (RFC 9110 §13) against a representation's strong entity tag and
 * Last-Modified date, in the order of §13.2.2:
 *
 * <ol>
 *   <li>{@code If-Match}: no strong match ({@code *} matches any) fails with 412;
 *   <li>else {@code If-Unmodified-Since}: modified after the date fails with 412;
 *   <li>{@code If-None-Match}: a weak match ({@code *} matches any) is 304 for GET and HEAD, 412
 *       for other methods;
 *   <li>else, for GET and HEAD, {@code If-Modified-Since}: not modified since the date is 304.
 * </ol>
 *
 * <p>Dates that do not parse are ignored, as are date fields sent more than once (the caller passes
 * {@code null} then). {@code If-Range} (§13.1.5) is decided separately by {@link #ifRangeAllows}.
 * Stateless and thread-safe.
 */
final class Preconditions {
    /** What the request's preconditions let the server do. */
    enum Outcome {
        /** Answer as if the request were unconditional. */
        PROCEED,
        /** 304 Not Modified. */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        PRECONDITION_FAILED
    }

    /**
     * The conditional header fields of a request; {@code null} when absent. List fields hold every
     * field line joined by commas.
     *
     * @param getOrHead whether the method is GET or HEAD
     * @param ifMatch {@code If-Match}
     * @param ifUnmodifiedSince {@code If-Unmodified-Since}
     * @param ifNoneMatch {@code If-None-Match}
     * @param ifModifiedSince {@code If-Modified-Since}
     */
    record Conditions(
            boolean getOrHead,
            @Nullable String ifMatch,
            @Nullable String ifUnmodifiedSince,
            @Nullable String ifNoneMatch,
            @Nullable String ifModifiedSince) {}

    private Preconditions() {}

    /**
     * Evaluates {@code conditions} against the current validators; {@code lastModified} is at
     * one-second resolution, as sent.
     */
    static Outcome evaluate(Conditions conditions, EntityTag current, Instant lastModified) {
        String ifMatch = conditions.ifMatch();
        String ifUnmodifiedSince = conditions.ifUnmodifiedSince();
        if (ifMatch != null) {
            if (!matchesAny(ifMatch, current, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null) {
            Optional<Instant> date = HttpDates.parse(ifUnmodifiedSince);
            if (date.isPresent() && lastModified.isAfter(date.get())) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = conditions.ifNoneMatch();
        String ifModifiedSince = conditions.ifModifiedSince();
        if (ifNoneMatch != null) {
            if (matchesAny(ifNoneMatch, current, false)) {
                return conditions.getOrHead() ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (conditions.getOrHead() && ifModifiedSince != null) {
            Optional<Instant> date = HttpDates.parse(ifModifiedSince);
            if (date.isPresent() && !lastModified.isAfter(date.get())) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured given {@code If-Range} ({@code null} when absent): only
     * when its entity tag strongly matches or its date is exactly the Last-Modified date.
     */
    static boolean ifRangeAllows(@Nullable String ifRange, EntityTag current, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            Optional<EntityTag> tag = EntityTag.parse(value);
            return tag.isPresent() && tag.get().strongMatch(current);
        }
        Optional<Instant> date = HttpDates.parse(value);
        return date.isPresent() && date.get().equals(lastModified);
    }

    /** {@code *} or a list with a strong or weak match of {@code current}; malformed lists match nothing. */
    private static boolean matchesAny(String field, EntityTag current, boolean strong) {
        if (field.trim().equals("*")) {
            return true;
        }
        Optional<List<EntityTag>> tags = EntityTag.parseList(field);
        if (tags.isEmpty()) {
            return false;
        }
        for (EntityTag tag : tags.get()) {
            if (strong ? tag.strongMatch(current) : tag.weakMatch(current)) {
                return true;
            }
        }
        return false;
    }
}
