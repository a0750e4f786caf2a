package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RequestDirectivesTest {
    private static final CachePolicyConfig POLICY = CachePolicyConfig.defaults();
    private static final CachePolicyConfig IGNORING =
            new CachePolicyConfig(true, false, List.of(), false, true, 0.1, Duration.ofDays(1), Duration.ofDays(1));

    private static RequestDirectives parse(String... headers) {
        return RequestDirectives.parse(HeaderList.of(headers), POLICY);
    }

    @Test
    void noHeadersMeansNoDirectives() {
        assertThat(parse()).isEqualTo(RequestDirectives.none());
    }

    @Test
    void everyDirectiveIsRead() {
        RequestDirectives directives = parse(
                "Cache-Control",
                "no-cache, no-store, max-age=30",
                "Cache-Control",
                "max-stale=60, min-fresh=10, only-if-cached");

        assertThat(directives.noCache()).isTrue();
        assertThat(directives.noStore()).isTrue();
        assertThat(directives.maxAge()).hasValue(30);
        assertThat(directives.maxStale()).hasValue(60);
        assertThat(directives.minFresh()).hasValue(10);
        assertThat(directives.onlyIfCached()).isTrue();
    }

    @Test
    void maxAgeZeroIsNoCache() {
        RequestDirectives directives = parse("Cache-Control", "max-age=0");

        assertThat(directives.noCache()).isTrue();
        assertThat(directives.maxAge()).isEmpty();
    }

    @Test
    void invalidMaxAgeReadsAsZeroAndSoAsNoCache() {
        assertThat(parse("Cache-Control", "max-age=soon").noCache()).isTrue();
    }

    @Test
    void maxStaleWithoutValueIsUnlimited() {
        assertThat(parse("Cache-Control", "max-stale").maxStale()).hasValue(RequestDirectives.UNLIMITED);
        assertThat(parse("Cache-Control", "max-stale=0").maxStale()).hasValue(0);
    }

    @Test
    void pragmaNoCacheCountsOnlyWithoutCacheControl() {
        assertThat(parse("Pragma", "no-cache").noCache()).isTrue();
        assertThat(parse("Pragma", "x, No-Cache").noCache()).isTrue();
        assertThat(parse("Pragma", "no-cache-please").noCache()).isFalse();
        assertThat(parse("Pragma", "no-cache", "Cache-Control", "max-age=60").noCache())
                .isFalse();
    }

    @Test
    void ignoreClientNoCacheDropsNoCacheMaxAgeZeroAndPragma() {
        assertThat(RequestDirectives.parse(HeaderList.of("Cache-Control", "no-cache"), IGNORING)
                        .noCache())
                .isFalse();
        assertThat(RequestDirectives.parse(HeaderList.of("Cache-Control", "max-age=0"), IGNORING))
                .isEqualTo(RequestDirectives.none());
        assertThat(RequestDirectives.parse(HeaderList.of("Pragma", "no-cache"), IGNORING))
                .isEqualTo(RequestDirectives.none());
    }

    @Test
    void ignoreClientNoCacheKeepsOtherDirectives() {
        RequestDirectives directives = RequestDirectives.parse(
                HeaderList.of("Cache-Control", "no-cache, max-age=5, max-stale, only-if-cached"), IGNORING);

        assertThat(directives.noCache()).isFalse();
        assertThat(directives.maxAge()).hasValue(5);
        assertThat(directives.maxStale()).hasValue(RequestDirectives.UNLIMITED);
        assertThat(directives.onlyIfCached()).isTrue();
    }

    @Test
    void negativeSecondsAreRejected() {
        assertThatThrownBy(() -> new RequestDirectives(
                        false,
                        false,
                        OptionalLong.of(-1),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        false,
                        OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAge");
    }

    @Property
    void parseNeverThrowsAndNeverGivesNegativeOrZeroMaxAge(@ForAll("requestLines") List<String> lines) {
        HeaderList headers = new HeaderList(lines.stream()
                .map(line -> new HeaderList.Field("Cache-Control", line))
                .toList());

        RequestDirectives directives = RequestDirectives.parse(headers, POLICY);

        assertThat(directives.maxAge().orElse(1)).isPositive();
        assertThat(directives.maxStale().orElse(0)).isNotNegative();
        assertThat(directives.minFresh().orElse(0)).isNotNegative();
    }

    @Provide
    Arbitrary<List<String>> requestLines() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(30),
                        Arbitraries.strings()
                                .withChars("max-agestlnofrh=,\" 0123456789")
                                .ofMaxLength(30))
                .list()
                .ofMaxSize(3);
    }
}
