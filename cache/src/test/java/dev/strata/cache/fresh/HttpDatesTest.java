package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT, the example of RFC 9110 §5.6.7. */
    private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

    @Test
    void parsesImfFixdate() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).hasValue(NOV_6_1994);
    }

    @Test
    void parsesObsoleteRfc850Form() {
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).hasValue(NOV_6_1994);
    }

    @Test
    void parsesAsctimeForm() {
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).hasValue(NOV_6_1994);
        assertThat(HttpDates.parse("Wed Nov 16 08:49:37 1994"))
                .hasValue(Instant.parse("1994-11-16T08:49:37Z").toEpochMilli());
    }

    @Test
    void rfc850TwoDigitYearsReadAs1970To2069() {
        assertThat(HttpDates.parse("Thursday, 01-Jan-70 00:00:00 GMT")).hasValue(0L);
        assertThat(HttpDates.parse("Tuesday, 01-Jan-69 00:00:00 GMT"))
                .hasValue(Instant.parse("2069-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT ")).hasValue(NOV_6_1994);
    }

    @Test
    void invalidDatesAreEmpty() {
        assertThat(HttpDates.parse("")).isEmpty();
        assertThat(HttpDates.parse("0")).isEmpty();
        assertThat(HttpDates.parse("-1")).isEmpty();
        assertThat(HttpDates.parse("1994-11-06T08:49:37Z")).isEmpty();
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 CET")).isEmpty();
        assertThat(HttpDates.parse("Sun, 32 Nov 1994 08:49:37 GMT")).isEmpty();
        assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).isEmpty(); // wrong weekday
    }

    @Test
    void formatsImfFixdate() {
        assertThat(HttpDates.format(NOV_6_1994)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.format(NOV_6_1994 + 999)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Property
    void formatThenParseGivesTheSameSecond(@ForAll @LongRange(min = 0L, max = 253_402_300_799_999L) long epochMillis) {
        assertThat(HttpDates.parse(HttpDates.format(epochMillis))).hasValue(Math.floorDiv(epochMillis, 1000L) * 1000L);
    }
}
