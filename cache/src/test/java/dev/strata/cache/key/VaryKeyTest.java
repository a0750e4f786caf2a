package dev.strata.cache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class VaryKeyTest {
    private static final CacheKey PAGE = CacheKey.from("https", "example.com", "/page", "", KeyPolicy.defaults());

    /** The key a request with these fields (alternating lower-case names and values) selects. */
    private static VaryKey key(List<String> fieldNames, String... namesAndValues) {
        Map<String, List<String>> fields = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.computeIfAbsent(namesAndValues[i], name -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return VaryKey.of(PAGE, fieldNames, name -> fields.getOrDefault(name, List.of()));
    }

    private static VaryKey encoding(String acceptEncoding) {
        return key(List.of("accept-encoding"), "accept-encoding", acceptEncoding);
    }

    @Test
    void varyFieldNamesAreLowerCasedSortedAndDistinct() {
        assertThat(VaryKey.fieldNames(List.of("Accept-Language, accept-encoding", " ACCEPT-language ,,Origin")))
                .containsExactly("accept-encoding", "accept-language", "origin");
        assertThat(VaryKey.fieldNames(List.of())).isEmpty();
        assertThat(VaryKey.fieldNames(List.of(" , "))).isEmpty();
    }

    @Test
    void varyStarMatchesNothing() {
        List<String> names = VaryKey.fieldNames(List.of("Accept-Encoding", "Origin, *"));

        assertThat(names).containsExactly("*");
        assertThat(VaryKey.isAny(names)).isTrue();
        assertThat(VaryKey.isAny(List.of("accept-encoding"))).isFalse();
        assertThatThrownBy(() -> new VaryKey(PAGE, names, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldNamesMustBeNormalized() {
        assertThatThrownBy(() -> new VaryKey(PAGE, List.of("Accept"), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaryKey(PAGE, List.of("b", "a"), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaryKey(PAGE, List.of(), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptEncodingTokenOrderDoesNotMatter() {
        assertThat(encoding("br, gzip")).isEqualTo(encoding("gzip,br"));
        assertThat(encoding("gzip, deflate, br")).isEqualTo(encoding("br,deflate,gzip"));
    }

    @Test
    void acceptEncodingIsCaseInsensitive() {
        assertThat(encoding("GZIP, Br")).isEqualTo(encoding("br, gzip"));
    }

    @Test
    void acceptEncodingDropsUnacceptableCodingsAndDuplicates() {
        assertThat(encoding("gzip, br;q=0")).isEqualTo(encoding("gzip"));
        assertThat(encoding("gzip, br; q=0.000")).isEqualTo(encoding("gzip"));
        assertThat(encoding("gzip, gzip, br")).isEqualTo(encoding("br, gzip"));
    }

    @Test
    void refusingIdentityOrAnyCodingIsKeptBecauseItChangesWhatIsAcceptable() {
        assertThat(encoding("gzip, identity;Q=0")).isNotEqualTo(encoding("gzip"));
        assertThat(encoding("*;q=0")).isNotEqualTo(encoding(""));
        assertThat(encoding("gzip, identity;q=0")).isEqualTo(encoding("identity;q=0,GZIP"));
    }

    @Test
    void acceptEncodingQValuesAreNormalizedButKept() {
        assertThat(encoding("gzip;q=1.0, br")).isEqualTo(encoding("br, gzip"));
        assertThat(encoding("gzip ; q=0.50, br")).isEqualTo(encoding("br, gzip;q=0.5"));
        assertThat(encoding("gzip;q=0.5, br")).isNotEqualTo(encoding("gzip, br"));
    }

    @Test
    void acceptEncodingLinesAreJoined() {
        VaryKey twoLines = key(List.of("accept-encoding"), "accept-encoding", "br", "accept-encoding", "gzip");

        assertThat(twoLines).isEqualTo(encoding("gzip, br"));
    }

    @Test
    void whitespaceIsCollapsedAndListsTrimmed() {
        List<String> language = List.of("accept-language");

        assertThat(key(language, "accept-language", "  en-GB ,\tde;q=0.5 "))
                .isEqualTo(key(language, "accept-language", "en-GB,de; q=0.5"));
        assertThat(key(List.of("x-device"), "x-device", "big   phone"))
                .isEqualTo(key(List.of("x-device"), "x-device", "big phone"));
    }

    @Test
    void acceptLanguageIsCaseInsensitiveButOrdered() {
        List<String> language = List.of("accept-language");

        assertThat(key(language, "accept-language", "EN-gb")).isEqualTo(key(language, "accept-language", "en-GB"));
        assertThat(key(language, "accept-language", "en, de")).isNotEqualTo(key(language, "accept-language", "de, en"));
    }

    @Test
    void otherValuesKeepTheirCase() {
        List<String> device = List.of("x-device");

        assertThat(key(device, "x-device", "Phone")).isNotEqualTo(key(device, "x-device", "phone"));
    }

    @Test
    void anAbsentFieldIsDistinctFromAnEmptyOne() {
        List<String> language = List.of("accept-language");

        assertThat(key(language)).isNotEqualTo(key(language, "accept-language", ""));
        assertThat(key(language, "accept-language", "")).isEqualTo(key(language, "accept-language", " , "));
    }

    @Test
    void everyNominatedFieldIsInTheKey() {
        List<String> both = List.of("accept-encoding", "accept-language");

        assertThat(key(both, "accept-encoding", "gzip", "accept-language", "en"))
                .isNotEqualTo(key(both, "accept-encoding", "gzip", "accept-language", "de"))
                .isNotEqualTo(key(both, "accept-encoding", "br", "accept-language", "en"))
                .isEqualTo(key(both, "accept-language", "en", "accept-encoding", "gzip"));
        assertThat(key(both, "accept-encoding", "gzip", "accept-language", "en").variant())
                .isEqualTo("accept-encoding=gzip\naccept-language=en");
    }

    @Test
    void aValueCannotImitateAnotherField() {
        List<String> both = List.of("a", "b");

        assertThat(key(both, "a", "x\nb=y")).isNotEqualTo(key(both, "a", "x", "b", "y"));
    }

    @Test
    void diskKeysOfAUrlsVariantsStartWithItsKeyAndANul() {
        byte[] prefix = VaryKey.variantPrefix(PAGE);
        byte[] variant = encoding("gzip").toBytes();

        assertThat(prefix).hasSize(PAGE.toBytes().length + 1).endsWith(new byte[] {0});
        assertThat(Arrays.copyOf(variant, prefix.length)).isEqualTo(prefix);
        assertThat(variant).hasSize(prefix.length + 32);
        assertThat(encoding("gzip").toBytes()).isEqualTo(variant);
        assertThat(encoding("br").toBytes()).isNotEqualTo(variant);
    }

    @Test
    void aKeyNeverContainsANul() {
        assertThatThrownBy(() -> CacheKey.from("https", "example.com", "/a\0b", "", KeyPolicy.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void anyOrderAndCaseOfCodingsSelectsTheSameVariant(@ForAll long seed) {
        List<String> codings = new ArrayList<>(List.of("gzip", "br", "deflate", "zstd", "identity;q=0.5", "x;q=0"));
        Random random = new Random(seed);
        Collections.shuffle(codings, random);
        List<String> written = new ArrayList<>();
        for (String coding : codings) {
            String cased = random.nextBoolean() ? coding.toUpperCase(Locale.ROOT) : coding;
            written.add((random.nextBoolean() ? " " : "") + cased);
        }

        assertThat(encoding(String.join(",", written))).isEqualTo(encoding("br,deflate,gzip,identity;q=0.5,zstd"));
    }
}
