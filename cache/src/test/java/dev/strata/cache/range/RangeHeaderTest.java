package dev.strata.cache.range;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.range.RangeHeader.FromTo;
import dev.strata.cache.range.RangeHeader.Suffix;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RangeHeaderTest {
    @Test
    void parsesTheThreeFormsOfRangeSpec() {
        assertThat(RangeHeader.parse("bytes=0-99")).contains(List.of(new FromTo(0, 99)));
        assertThat(RangeHeader.parse("bytes=100-")).contains(List.of(new FromTo(100, -1)));
        assertThat(RangeHeader.parse("bytes=-500")).contains(List.of(new Suffix(500)));
        assertThat(RangeHeader.parse("Bytes = 0-0 , , -1")).contains(List.of(new FromTo(0, 0), new Suffix(1)));
    }

    @Test
    void invalidSpecifiersAreEmptySoTheHeaderIsIgnored() {
        for (String invalid : List.of(
                "",
                "bytes",
                "bytes=",
                "bytes=,",
                "items=0-1",
                "bytes=5-1",
                "bytes=a-b",
                "bytes=1",
                "bytes=--1",
                "bytes=0-1-2",
                "bytes=+1-2",
                "bytes=0x1-2",
                "bytes=0-1;x")) {
            assertThat(RangeHeader.parse(invalid)).as(invalid).isEmpty();
        }
    }

    @Test
    void moreThanTheLimitOfSpecsIsIgnored() {
        String many = "bytes=" + "0-0,".repeat(RangeHeader.MAX_RANGES);
        assertThat(RangeHeader.parse(many)).isPresent();
        assertThat(RangeHeader.parse(many + "1-1")).isEmpty();
    }

    @Test
    void resolvesAgainstTheLengthAndDropsUnsatisfiableSpecs() {
        long length = 1000;
        assertThat(RangeHeader.resolve(List.of(new FromTo(0, 99)), length)).containsExactly(new ByteRange(0, 99));
        assertThat(RangeHeader.resolve(List.of(new FromTo(900, 5000)), length))
                .containsExactly(new ByteRange(900, 999));
        assertThat(RangeHeader.resolve(List.of(new FromTo(100, -1)), length)).containsExactly(new ByteRange(100, 999));
        assertThat(RangeHeader.resolve(List.of(new Suffix(500)), length)).containsExactly(new ByteRange(500, 999));
        assertThat(RangeHeader.resolve(List.of(new Suffix(5000)), length)).containsExactly(new ByteRange(0, 999));
        assertThat(RangeHeader.resolve(List.of(new FromTo(1000, -1), new Suffix(0)), length))
                .isEmpty();
        assertThat(RangeHeader.resolve(List.of(new FromTo(1000, 1001), new FromTo(5, 5)), length))
                .containsExactly(new ByteRange(5, 5));
        assertThat(RangeHeader.resolve(List.of(new Suffix(1), new FromTo(0, 0)), 0))
                .isEmpty();
    }

    @Test
    void hugeNumbersSaturateInsteadOfOverflowing() {
        assertThat(RangeHeader.parse("bytes=99999999999999999999999-"))
                .contains(List.of(new FromTo(Long.MAX_VALUE, -1)));
        assertThat(RangeHeader.resolve(
                        RangeHeader.parse("bytes=0-99999999999999999999999").orElseThrow(), 10))
                .containsExactly(new ByteRange(0, 9));
    }

    @Property
    void parsingNeverThrows(@ForAll String value) {
        RangeHeader.parse(value);
        RangeHeader.parse("bytes=" + value);
    }

    @Property
    void resolvedRangesLieInsideTheRepresentation(
            @ForAll @LongRange(min = 0, max = 10_000) long first,
            @ForAll @LongRange(min = -1, max = 10_000) long lastOffset,
            @ForAll @LongRange(min = 0, max = 10_000) long suffix,
            @ForAll @LongRange(min = 0, max = 5_000) long length) {
        String header =
                "bytes=" + first + "-" + (lastOffset < 0 ? "" : String.valueOf(first + lastOffset)) + ",-" + suffix;
        List<RangeHeader.Spec> specs = RangeHeader.parse(header).orElseThrow();
        for (ByteRange range : RangeHeader.resolve(specs, length)) {
            assertThat(range.first()).isBetween(0L, length - 1);
            assertThat(range.last()).isBetween(range.first(), length - 1);
        }
    }
}
