package dev.strata.cache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static final KeyPolicy SORTED = new KeyPolicy(true, false, List.of());
    private static final KeyPolicy UNSORTED = new KeyPolicy(false, false, List.of());

    private static CacheKey key(String scheme, String host, String path, String query) {
        return CacheKey.from(scheme, host, path, query, SORTED);
    }

    @Test
    void schemeAndHostAreLowerCased() {
        CacheKey key = key("HTTPS", "WWW.Example.COM", "/", "");

        assertThat(key.scheme()).isEqualTo("https");
        assertThat(key.host()).isEqualTo("www.example.com");
    }

    @Test
    void portIsStrippedSoEveryListenerAndPopSharesOneEntry() {
        assertThat(key("http", "example.com:80", "/", "").host()).isEqualTo("example.com");
        assertThat(key("https", "example.com:443", "/", "").host()).isEqualTo("example.com");
        assertThat(key("http", "example.com:8081", "/", "")).isEqualTo(key("http", "example.com:8082", "/", ""));
        assertThat(key("http", "example.com:", "/", "").host()).isEqualTo("example.com");
    }

    @Test
    void trailingDotIsStripped() {
        assertThat(key("http", "example.com.", "/", "").host()).isEqualTo("example.com");
        assertThat(key("http", "Example.com.:80", "/", "").host()).isEqualTo("example.com");
        assertThat(key("http", "example.com.:8080", "/", "").host()).isEqualTo("example.com");
    }

    @Test
    void ipv6LiteralKeepsItsColonsAndLosesItsPort() {
        assertThat(key("http", "[::1]:80", "/", "").host()).isEqualTo("[::1]");
        assertThat(key("http", "[::1]:8080", "/", "").host()).isEqualTo("[::1]");
        assertThat(key("http", "[2001:DB8::1]", "/", "").host()).isEqualTo("[2001:db8::1]");
    }

    @Test
    void eachHostValueNormalizesAloneWhateverCameBefore() {
        // Repeated and alternating values: the remembered last normalization must never leak.
        for (int i = 0; i < 3; i++) {
            assertThat(key("http", "Example.com:80", "/", "").host()).isEqualTo("example.com");
            assertThat(key("http", "Example.com:80", "/", "").host()).isEqualTo("example.com");
            assertThat(key("http", "other.example.", "/", "").host()).isEqualTo("other.example");
            assertThat(key("http", "[::1]:8080", "/", "").host()).isEqualTo("[::1]");
            assertThat(key("http", "[::1]:8080", "/", "").host()).isEqualTo("[::1]");
        }
    }

    @Test
    void queryIsSortedWhenThePolicySaysSo() {
        assertThat(CacheKey.from("http", "h", "/", "b=2&a=1&c=3", SORTED).query())
                .isEqualTo("a=1&b=2&c=3");
    }

    @Test
    void queryKeepsItsOrderWhenThePolicyDoesNotSort() {
        assertThat(CacheKey.from("http", "h", "/", "b=2&a=1&c=3", UNSORTED).query())
                .isEqualTo("b=2&a=1&c=3");
    }

    @Test
    void droppedParametersMatchExactlyOrByPrefix() {
        KeyPolicy policy = new KeyPolicy(true, false, List.of("fbclid", "utm_*"));

        CacheKey key = CacheKey.from("http", "h", "/", "utm_source=x&id=7&fbclid=abc&utm_medium=y&fbclid2=z", policy);

        assertThat(key.query()).isEqualTo("fbclid2=z&id=7");
    }

    @Test
    void droppedParameterIsMatchedByNameEvenWithoutValue() {
        KeyPolicy policy = new KeyPolicy(true, false, List.of("nocache"));

        assertThat(CacheKey.from("http", "h", "/", "nocache&a=1", policy).query())
                .isEqualTo("a=1");
    }

    @Test
    void ignoreQueryLeavesTheQueryOut() {
        KeyPolicy policy = new KeyPolicy(true, true, List.of());

        CacheKey key = CacheKey.from("http", "h", "/p", "a=1&b=2", policy);

        assertThat(key.query()).isEmpty();
        assertThat(key.asString()).isEqualTo("http://h/p");
    }

    @Test
    void emptyParametersAreRemoved() {
        assertThat(CacheKey.from("http", "h", "/", "&a=1&&b=2&", SORTED).query())
                .isEqualTo("a=1&b=2");
        assertThat(CacheKey.from("http", "h", "/", "&&", SORTED).query()).isEmpty();
    }

    @Test
    void pathIsKeptByteForByte() {
        CacheKey key = key("http", "h", "/Images/Logo%2F.PNG", "");

        assertThat(key.path()).isEqualTo("/Images/Logo%2F.PNG");
        assertThat(key).isNotEqualTo(key("http", "h", "/images/logo%2f.png", ""));
    }

    @Test
    void emptyPathBecomesSlash() {
        assertThat(key("http", "h", "", "").path()).isEqualTo("/");
    }

    @Test
    void pathMustStartWithSlash() {
        assertThatThrownBy(() -> key("http", "h", "relative", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative");
    }

    @Test
    void asStringJoinsSchemeHostPathAndQuery() {
        assertThat(key("https", "Example.com:443", "/a/b", "y=2&x=1").asString())
                .isEqualTo("https://example.com/a/b?x=1&y=2");
        assertThat(key("http", "example.com:8080", "/a", "").asString()).isEqualTo("http://example.com/a");
    }

    @Test
    void pathAndQueryIsWhatUpstreamIsAskedFor() {
        assertThat(key("http", "h", "/a/b", "y=2&x=1").pathAndQuery()).isEqualTo("/a/b?x=1&y=2");
        assertThat(key("http", "h", "/a/b", "").pathAndQuery()).isEqualTo("/a/b");
    }

    @Test
    void requestsThatDifferOnlyInParameterOrderShareAKey() {
        assertThat(key("http", "h", "/", "a=1&b=2")).isEqualTo(key("http", "h", "/", "b=2&a=1"));
    }

    @Property
    void normalizingAQueryIsIdempotent(@ForAll("queries") String query) {
        KeyPolicy policy = new KeyPolicy(true, false, List.of("utm_*", "drop"));

        String once = CacheKey.normalizeQuery(query, policy);

        assertThat(CacheKey.normalizeQuery(once, policy)).isEqualTo(once);
    }

    @Property
    void sortedQueryDoesNotDependOnParameterOrder(
            @ForAll("parameterLists") List<String> parameters, @ForAll long seed) {
        List<String> shuffled = new ArrayList<>(parameters);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(CacheKey.normalizeQuery(String.join("&", shuffled), SORTED))
                .isEqualTo(CacheKey.normalizeQuery(String.join("&", parameters), SORTED));
    }

    @Provide
    Arbitrary<String> queries() {
        return parameterLists().map(list -> String.join("&", list));
    }

    @Provide
    Arbitrary<List<String>> parameterLists() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcAB_%=").ofMaxLength(6),
                Arbitraries.of("utm_source", "utm_", "drop", "dropped", "a", "b"));
        Arbitrary<String> value = Arbitraries.strings().withChars("xyz=%?").ofMaxLength(4);
        Arbitrary<String> parameter =
                Arbitraries.oneOf(name, Combinators.combine(name, value).as((n, v) -> n + "=" + v));
        return parameter.list().ofMaxSize(8);
    }
}
