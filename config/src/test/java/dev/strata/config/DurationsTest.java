package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class DurationsTest {

    @Property
    void formattedDurationParsesBackToItself(@ForAll("durations") Duration duration) {
        assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }

    @Property
    void wholeDaysAreWrittenInDays(@ForAll @LongRange(min = 1, max = 1_000_000_000L) long days) {
        assertThat(Durations.format(Duration.ofDays(days))).isEqualTo(days + "d");
    }

    @Provide
    Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofNanos),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofMillis),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofSeconds),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 60).map(Duration::ofMinutes),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 86_400).map(Duration::ofDays));
    }

    @Example
    void readsEveryUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("7ns")).isEqualTo(Duration.ofNanos(7));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Example
    void writesTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.parse("PT48H"))).isEqualTo("2d");
    }

    @Example
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("10parsecs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"10parsecs\" is not a duration (expected: e.g. 30s, 500ms, 5m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parse("30"))
                .hasMessage("\"30\" is not a duration (expected: e.g. 30s, 500ms, 5m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parse("-1s"))
                .hasMessage("\"-1s\" is not a duration (expected: e.g. 30s, 500ms, 5m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parse("99999999999999999d"))
                .hasMessage("\"99999999999999999d\" is too long (expected: e.g. 30s, 500ms, 5m, 1h, 1d)");
    }
}
