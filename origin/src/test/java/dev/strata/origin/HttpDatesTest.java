package dev.strata.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
    private static final Instant NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void formatsImfFixdateWithTwoDigitDays() {
        assertThat(HttpDates.format(NOV_6_1994)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.format(Instant.parse("2024-01-02T03:04:05.999Z")))
                .isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
    }

    @Test
    void parsesTheThreeFormatsOfRfc9110() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(NOV_6_1994);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(NOV_6_1994);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(NOV_6_1994);
        assertThat(HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT ")).contains(NOV_6_1994);
    }

    @Test
    void rejectsWhatIsNotAnHttpDate() {
        assertThat(HttpDates.parse("")).isEmpty();
        assertThat(HttpDates.parse("yesterday")).isEmpty();
        assertThat(HttpDates.parse("1994-11-06T08:49:37Z")).isEmpty();
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 CET")).isEmpty();
        assertThat(HttpDates.parse("Sun, 32 Nov 1994 08:49:37 GMT")).isEmpty();
    }

    @Property
    void parseReadsWhatFormatWrites(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long seconds) {
        Instant instant = Instant.ofEpochSecond(seconds);
        assertThat(HttpDates.parse(HttpDates.format(instant))).contains(instant);
    }
}
