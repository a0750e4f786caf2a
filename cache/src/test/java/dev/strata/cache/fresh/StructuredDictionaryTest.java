package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class StructuredDictionaryTest {
    private static @Nullable Map<String, String> parse(String... lines) {
        return StructuredDictionary.parse(List.of(lines));
    }

    @Test
    void cacheDirectivesMapToTheirCacheControlText() {
        assertThat(parse("max-age=600, no-store, private=\"set-cookie\", x=tok/en, y=:aGk=:, z=(a b)"))
                .containsExactly(
                        entry("max-age", "600"),
                        entry("no-store", ""),
                        entry("private", "\"set-cookie\""),
                        entry("x", "tok/en"),
                        entry("y", ":aGk=:"),
                        entry("z", ""));
    }

    @Test
    void booleanTrueIsPresentAndFalseIsAbsent() {
        assertThat(parse("no-cache=?1, no-store=?0")).containsExactly(entry("no-cache", ""));
    }

    @Test
    void laterDuplicateReplacesEarlier() {
        assertThat(parse("max-age=1, max-age=2")).containsExactly(entry("max-age", "2"));
        assertThat(parse("no-store, no-store=?0")).isEmpty();
        assertThat(parse("max-age=1", "max-age=3")).containsExactly(entry("max-age", "3"));
    }

    @Test
    void parametersAreIgnored() {
        assertThat(parse("max-age=60;a=1;b, no-store;c=\"x\""))
                .containsExactly(entry("max-age", "60"), entry("no-store", ""));
    }

    @Test
    void numbersAreKeptAsText() {
        assertThat(parse("a=-5, b=1.5, c=007")).containsExactly(entry("a", "-5"), entry("b", "1.5"), entry("c", "007"));
    }

    @Test
    void whitespaceAroundMembersIsAllowed() {
        assertThat(parse("  max-age=60 ,\tpublic  ")).containsExactly(entry("max-age", "60"), entry("public", ""));
    }

    @Test
    void emptyFieldIsAnEmptyDictionary() {
        assertThat(parse("")).isEmpty();
        assertThat(parse("   ")).isEmpty();
    }

    @Test
    void syntaxErrorsFailTheWholeField() {
        assertThat(parse("Max-Age=60")).as("upper-case key").isNull();
        assertThat(parse("max-age=60,")).as("trailing comma").isNull();
        assertThat(parse("max-age=60,,public")).as("empty member").isNull();
        assertThat(parse("max-age=60 public")).as("missing comma").isNull();
        assertThat(parse("max-age=")).as("missing value").isNull();
        assertThat(parse("private=\"unterminated")).as("unterminated string").isNull();
        assertThat(parse("private=\"bad \\escape\"")).as("bad escape").isNull();
        assertThat(parse("a=1234567890123456")).as("16-digit integer").isNull();
        assertThat(parse("a=1.2345")).as("4 fraction digits").isNull();
        assertThat(parse("a=1.")).as("no fraction digits").isNull();
        assertThat(parse("a=?2")).as("bad boolean").isNull();
        assertThat(parse("a=:not base64!:")).as("bad byte sequence").isNull();
        assertThat(parse("a=(1 2")).as("unterminated inner list").isNull();
        assertThat(parse("a=\"é\"")).as("non-ASCII string").isNull();
        assertThat(parse("1a=2")).as("key starting with a digit").isNull();
        assertThat(parse("\tmax-age=60")).as("leading tab").isNull();
    }

    @Property
    void parseNeverThrows(@ForAll("almostDictionaries") String field) {
        StructuredDictionary.parse(List.of(field));
    }

    @Property
    void wellFormedMembersParseToTheirValues(@ForAll("members") List<Map.Entry<String, Long>> members) {
        StringBuilder field = new StringBuilder();
        for (Map.Entry<String, Long> member : members) {
            if (field.length() > 0) {
                field.append(", ");
            }
            field.append(member.getKey()).append('=').append(member.getValue());
        }
        Map<String, String> parsed = StructuredDictionary.parse(List.of(field.toString()));

        assertThat(parsed).isNotNull();
        for (Map.Entry<String, Long> member : members) {
            // The last occurrence of a key wins.
            long last = members.stream()
                    .filter(m -> m.getKey().equals(member.getKey()))
                    .reduce((first, second) -> second)
                    .orElseThrow()
                    .getValue();
            assertThat(parsed).containsEntry(member.getKey(), Long.toString(last));
        }
    }

    @Provide
    Arbitrary<String> almostDictionaries() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("max-ge=,;?01\"\\:() \t*.aZ9").ofMaxLength(40));
    }

    @Provide
    Arbitrary<List<Map.Entry<String, Long>>> members() {
        Arbitrary<String> keys = Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(3)
                .map(key -> key + "-k");
        Arbitrary<Long> values = Arbitraries.longs().between(-999_999_999_999_999L, 999_999_999_999_999L);
        return Combinators.combine(keys, values)
                .as(Map::entry)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }
}
