package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.HeaderList;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    /** The rule as a regular expression: the oracle of the scan. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:+/=@-]{1,128}");

    @Test
    void madeIdsAre32HexDigitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = RequestIds.generate();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(RequestIds.isValid(id)).isTrue();
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void commonIdFormsAreKeptAndInjectionsAreNot() {
        assertThat(RequestIds.isValid("0f8fad5b-d9cb-469f-a165-70867728950e")).isTrue();
        assertThat(RequestIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAV")).isTrue();
        assertThat(RequestIds.isValid("Root=1-67891233-abcdef012345678912345678"))
                .isTrue();
        assertThat(RequestIds.isValid("a+b/c==")).isTrue();
        assertThat(RequestIds.isValid("x".repeat(128))).isTrue();
        assertThat(RequestIds.isValid("x".repeat(129))).isFalse();
        assertThat(RequestIds.isValid("")).isFalse();
        assertThat(RequestIds.isValid("a b")).isFalse();
        assertThat(RequestIds.isValid("a\"b")).isFalse();
        assertThat(RequestIds.isValid("a,b")).isFalse();
        assertThat(RequestIds.isValid("a\r\nX-Evil: 1")).isFalse();
    }

    @Test
    void theIdReplacesAnyTheClientSentUpstream() {
        HeaderList headers = HeaderList.of("Accept", "*/*", "x-request-id", "client's", "X-Request-Id", "again");

        HeaderList sent = RequestIds.onto(headers, "abc");

        assertThat(sent.all("X-Request-Id")).containsExactly("abc");
        assertThat(sent.all("Accept")).containsExactly("*/*");
    }

    @Property(tries = 5000)
    void theScanAgreesWithTheRule(@ForAll("ids") String id) {
        assertThat(RequestIds.isValid(id)).as(id).isEqualTo(VALID.matcher(id).matches());
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("aZ09-_.:+/=@ \",;\t\u00e9\u0000")
                        .ofMaxLength(12),
                Arbitraries.strings().withChars("ab").ofMinLength(126).ofMaxLength(130),
                Arbitraries.strings().all().ofMaxLength(8));
    }
}
