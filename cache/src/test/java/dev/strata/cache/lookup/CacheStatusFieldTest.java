package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CacheStatusFieldTest {
    @Property
    void theHitPrefixAndTtlSpellWhatTheBuilderDoes(
            @ForAll @AlphaChars @NumericChars @Chars({' ', '"', '-', ';'}) @StringLength(min = 1, max = 20) String name,
            @ForAll long millis) {
        Duration remaining = Duration.ofMillis(millis);

        assertThat(CacheStatusField.hitPrefix(name) + CacheStatusField.ttlSeconds(remaining))
                .isEqualTo(CacheStatusField.builder(name)
                        .hit()
                        .ttl(remaining)
                        .build()
                        .format());
    }

    @Test
    void hitWithTtl() {
        assertThat(CacheStatusField.builder("strata-ams")
                        .hit()
                        .ttl(Duration.ofMillis(57_900))
                        .build()
                        .format())
                .isEqualTo("strata-ams; hit; ttl=57");
    }

    @Test
    void staleHitHasANegativeTtl() {
        assertThat(CacheStatusField.builder("strata-ams")
                        .hit()
                        .ttl(Duration.ofSeconds(-412))
                        .build()
                        .format())
                .isEqualTo("strata-ams; hit; ttl=-412");
    }

    @Test
    void forwardWithEveryParameter() {
        assertThat(CacheStatusField.builder("strata-ams")
                        .fwd(CacheStatusField.Fwd.STALE)
                        .fwdStatus(304)
                        .ttl(Duration.ofMinutes(5))
                        .stored(true)
                        .collapsed(true)
                        .detail("revalidated")
                        .build()
                        .toString())
                .isEqualTo("strata-ams; fwd=stale; fwd-status=304; ttl=300; stored; collapsed; detail=revalidated");
    }

    @Test
    void falseBooleansAreSentAsQuestionZero() {
        assertThat(CacheStatusField.builder("strata-ams")
                        .fwd(CacheStatusField.Fwd.URI_MISS)
                        .stored(false)
                        .collapsed(false)
                        .build()
                        .format())
                .isEqualTo("strata-ams; fwd=uri-miss; stored=?0; collapsed=?0");
    }

    @Test
    void everyFwdValueHasItsRfcToken() {
        assertThat(List.of(CacheStatusField.Fwd.values()).stream()
                        .map(CacheStatusField.Fwd::token)
                        .toList())
                .containsExactly("bypass", "method", "uri-miss", "vary-miss", "miss", "request", "stale", "partial");
    }

    @Test
    void detailThatIsNotATokenIsAQuotedString() {
        assertThat(CacheStatusField.builder("strata-ams")
                        .hit()
                        .detail("stale-if-error \"503\" \\ ✓")
                        .build()
                        .format())
                .isEqualTo("strata-ams; hit; detail=\"stale-if-error \\\"503\\\" \\\\ ?\"");
    }

    @Test
    void cacheNameThatIsNotATokenIsAQuotedString() {
        assertThat(CacheStatusField.builder("Strata CDN").hit().build().format())
                .isEqualTo("\"Strata CDN\"; hit");
        assertThat(CacheStatusField.builder("1node").hit().build().format()).isEqualTo("\"1node\"; hit");
    }

    @Test
    void hitAndFwdExcludeEachOther() {
        assertThatThrownBy(() -> CacheStatusField.builder("strata-ams")
                        .hit()
                        .fwd(CacheStatusField.Fwd.MISS)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hit and fwd=miss");
    }

    @Test
    void forwardParametersNeedFwd() {
        assertThatThrownBy(() -> CacheStatusField.builder("strata-ams")
                        .hit()
                        .stored(true)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        CacheStatusField.builder("strata-ams").fwdStatus(200).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidCacheNameOrStatusIsRejected() {
        assertThatThrownBy(() -> CacheStatusField.builder("").hit().build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheStatusField.builder("grüße").hit().build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheStatusField.builder("a")
                        .fwd(CacheStatusField.Fwd.MISS)
                        .fwdStatus(42)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeTtlIsClampedToAStructuredFieldsInteger() {
        assertThat(CacheStatusField.builder("a")
                        .hit()
                        .ttl(Duration.ofSeconds(Long.MAX_VALUE))
                        .build()
                        .format())
                .isEqualTo("a; hit; ttl=999999999999999");
    }

    @Test
    void appendGoesAfterTheUpstreamMembers() {
        String ours = "strata-ams; hit; ttl=57";

        assertThat(CacheStatusField.append(null, ours)).isEqualTo(ours);
        assertThat(CacheStatusField.append("  ", ours)).isEqualTo(ours);
        assertThat(CacheStatusField.append("OriginCache; hit; ttl=1100", ours))
                .isEqualTo("OriginCache; hit; ttl=1100, strata-ams; hit; ttl=57");
        assertThat(CacheStatusField.append("a; hit, ", ours)).isEqualTo("a; hit, strata-ams; hit; ttl=57");
        assertThat(CacheStatusField.appendToLines(List.of("a; hit", "b; fwd=miss"), ours))
                .isEqualTo("a; hit, b; fwd=miss, strata-ams; hit; ttl=57");
        assertThat(CacheStatusField.appendToLines(List.of(), ours)).isEqualTo(ours);
    }
}
