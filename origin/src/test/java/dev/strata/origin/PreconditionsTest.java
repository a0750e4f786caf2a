package dev.strata.origin;

import static dev.strata.origin.Preconditions.Outcome.NOT_MODIFIED;
import static dev.strata.origin.Preconditions.Outcome.PRECONDITION_FAILED;
import static dev.strata.origin.Preconditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.origin.Preconditions.Conditions;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
    private static final EntityTag ETAG = EntityTag.strong("abc");
    private static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05Z");
    private static final String AT = "Tue, 02 Jan 2024 03:04:05 GMT";
    private static final String BEFORE = "Tue, 02 Jan 2024 03:04:04 GMT";
    private static final String AFTER = "Tue, 02 Jan 2024 03:04:06 GMT";

    @Test
    void unconditionalRequestsProceed() {
        assertThat(evaluate(null, null, null, null)).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(evaluate("\"abc\"", null, null, null)).isEqualTo(PROCEED);
        assertThat(evaluate("\"x\", \"abc\"", null, null, null)).isEqualTo(PROCEED);
        assertThat(evaluate("*", null, null, null)).isEqualTo(PROCEED);
        assertThat(evaluate("W/\"abc\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
        assertThat(evaluate("\"other\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
        assertThat(evaluate("garbage", null, null, null)).isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSinceOnlyCountsWithoutIfMatch() {
        assertThat(evaluate(null, BEFORE, null, null)).isEqualTo(PRECONDITION_FAILED);
        assertThat(evaluate(null, AT, null, null)).isEqualTo(PROCEED);
        assertThat(evaluate("\"abc\"", BEFORE, null, null)).isEqualTo(PROCEED);
        assertThat(evaluate(null, "not a date", null, null)).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchUsesWeakComparisonAndAnswers304ForGetAndHead() {
        assertThat(evaluate(null, null, "\"abc\"", null)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, "W/\"abc\"", null)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, "\"a\",W/\"abc\"", null)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, "*", null)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, "\"other\"", null)).isEqualTo(PROCEED);
        Conditions post = new Conditions(false, null, null, "\"abc\"", null);
        assertThat(Preconditions.evaluate(post, ETAG, MODIFIED)).isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void ifModifiedSinceOnlyCountsWithoutIfNoneMatch() {
        assertThat(evaluate(null, null, null, AT)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, null, AFTER)).isEqualTo(NOT_MODIFIED);
        assertThat(evaluate(null, null, null, BEFORE)).isEqualTo(PROCEED);
        assertThat(evaluate(null, null, "\"other\"", AT)).isEqualTo(PROCEED);
        assertThat(evaluate(null, null, null, "not a date")).isEqualTo(PROCEED);
    }

    @Test
    void preconditionFailureOutranksNotModified() {
        assertThat(evaluate("\"other\"", null, "\"abc\"", AT)).isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void ifRangeNeedsAStrongMatchOrTheExactDate() {
        assertThat(Preconditions.ifRangeAllows(null, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.ifRangeAllows("\"abc\"", ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.ifRangeAllows("W/\"abc\"", ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.ifRangeAllows("\"other\"", ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.ifRangeAllows(AT, ETAG, MODIFIED)).isTrue();
        assertThat(Preconditions.ifRangeAllows(AFTER, ETAG, MODIFIED)).isFalse();
        assertThat(Preconditions.ifRangeAllows("junk", ETAG, MODIFIED)).isFalse();
    }

    private static Preconditions.Outcome evaluate(
            @Nullable String ifMatch,
            @Nullable String ifUnmodifiedSince,
            @Nullable String ifNoneMatch,
            @Nullable String ifModifiedSince) {
        return Preconditions.evaluate(
                new Conditions(true, ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince), ETAG, MODIFIED);
    }
}
