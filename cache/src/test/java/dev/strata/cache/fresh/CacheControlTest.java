package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CacheControlTest {
    private static CacheControl parse(String... lines) {
        return CacheControl.parse(List.of(lines));
    }

    @Test
    void directivesOfEveryLineAreRead() {
        CacheControl cc = parse("public, max-age=60", "s-maxage=30", "must-revalidate");

        assertThat(cc.has("public")).isTrue();
        assertThat(cc.has("must-revalidate")).isTrue();
        assertThat(cc.seconds("max-age")).hasValue(60);
        assertThat(cc.seconds("s-maxage")).hasValue(30);
        assertThat(cc.has("private")).isFalse();
    }

    @Test
    void directiveNamesAreCaseInsensitive() {
        CacheControl cc = parse("Max-Age=5, NO-STORE");

        assertThat(cc.seconds("max-age")).hasValue(5);
        assertThat(cc.has("no-store")).isTrue();
    }

    @Test
    void whitespaceAroundDirectivesIsIgnored() {
        CacheControl cc = parse("  max-age=7 ,\tno-cache ,, ");

        assertThat(cc.seconds("max-age")).hasValue(7);
        assertThat(cc.has("no-cache")).isTrue();
    }

    @Test
    void whitespaceAroundTheEqualsSignMakesTheDirectiveInvalid() {
        assertThat(parse("max-age =7").seconds("max-age"))
                .as("no directive named max-age")
                .isEmpty();
        assertThat(parse("max-age= 7").seconds("max-age"))
                .as("an invalid value reads as 0")
                .hasValue(0);
        assertThat(parse("max-age =7, public").has("public")).isTrue();
    }

    @Test
    void quotedValuesMayHoldCommasAndEscapes() {
        CacheControl cc = parse("no-cache=\"Set-Cookie, X-\\\"Quoted\\\"\", max-age=10");

        assertThat(cc.has("no-cache")).isTrue();
        assertThat(cc.seconds("max-age")).hasValue(10);
        assertThat(cc.toString()).contains("Set-Cookie, X-\"Quoted\"");
    }

    @Test
    void commaInsideQuotesDoesNotStartADirective() {
        CacheControl cc = parse("private=\"a, max-age=99\"");

        assertThat(cc.has("private")).isTrue();
        assertThat(cc.has("max-age")).isFalse();
    }

    @Test
    void quotedDeltaSecondsAreRead() {
        assertThat(parse("max-age=\"60\"").seconds("max-age")).hasValue(60);
    }

    @Test
    void unterminatedQuoteEndsAtTheEndOfTheLine() {
        CacheControl cc = parse("private=\"a, b", "max-age=3");

        assertThat(cc.has("private")).isTrue();
        assertThat(cc.seconds("max-age")).hasValue(3);
    }

    @Test
    void firstOccurrenceWins() {
        assertThat(parse("max-age=10, max-age=20").seconds("max-age")).hasValue(10);
        assertThat(parse("max-age=10", "MAX-AGE=20").seconds("max-age")).hasValue(10);
    }

    @Test
    void invalidDeltaSecondsReadAsZero() {
        assertThat(parse("max-age=-5").seconds("max-age")).hasValue(0);
        assertThat(parse("max-age=abc").seconds("max-age")).hasValue(0);
        assertThat(parse("max-age=1.5").seconds("max-age")).hasValue(0);
        assertThat(parse("max-age=").seconds("max-age")).hasValue(0);
        assertThat(parse("max-age").seconds("max-age")).hasValue(0);
        assertThat(parse("max-age=+5").seconds("max-age")).hasValue(0);
    }

    @Test
    void absentDirectiveHasNoSeconds() {
        assertThat(parse("public").seconds("max-age")).isEmpty();
    }

    @Test
    void hugeValuesAreCappedAtIntegerMaxValue() {
        assertThat(parse("max-age=2147483647").seconds("max-age")).hasValue(Integer.MAX_VALUE);
        assertThat(parse("max-age=2147483648").seconds("max-age")).hasValue(Integer.MAX_VALUE);
        assertThat(parse("max-age=9999999999").seconds("max-age")).hasValue(Integer.MAX_VALUE);
        assertThat(parse("max-age=99999999999999999999999999").seconds("max-age"))
                .hasValue(Integer.MAX_VALUE);
    }

    @Test
    void leadingZerosDoNotMakeAValueHuge() {
        assertThat(CacheControl.deltaSeconds("000000000000060")).isEqualTo(60);
        assertThat(CacheControl.deltaSeconds("0000000000000")).isZero();
        assertThat(CacheControl.deltaSeconds("007")).isEqualTo(7);
    }

    @Test
    void emptyHeaderHasNoDirectives() {
        assertThat(CacheControl.parse(List.of()).has("max-age")).isFalse();
        assertThat(parse("").has("")).isFalse();
        assertThat(parse("").seconds("max-age")).isEmpty();
        assertThat(parse(" , ,").toString()).isEqualTo("{}");
    }

    @Property
    void parseNeverThrowsAndSecondsAreNeverNegative(
            @ForAll("headerLines") List<String> lines, @ForAll("directiveNames") String directive) {
        CacheControl cc = CacheControl.parse(lines);

        assertThat(cc.seconds(directive).orElse(0)).isBetween(0L, (long) Integer.MAX_VALUE);
    }

    @Property
    void secondsOfAnyValueAreNeverNegative(@ForAll String value) {
        assertThat(parse("max-age=" + value).seconds("max-age").orElseThrow()).isBetween(0L, (long) Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<List<String>> headerLines() {
        Arbitrary<String> anything = Arbitraries.strings();
        Arbitrary<String> almostCacheControl =
                Arbitraries.strings().withChars("max-ge=s,\"\\ \t0123456789").ofMaxLength(40);
        return Arbitraries.oneOf(anything, almostCacheControl).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> directiveNames() {
        return Arbitraries.oneOf(
                Arbitraries.of("max-age", "s-maxage", "a", "m", "ma"),
                Arbitraries.strings().ofMaxLength(8));
    }
}
