package dev.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.PurgeMarkers.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PurgeMarkersTest {
    private static final long T = 1_700_000_000_000L;

    private final PurgeMarkers markers = new PurgeMarkers();

    private static CacheKey key(String host, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0
                ? CacheKey.from("https", host, pathAndQuery, "", KeyPolicy.defaults())
                : CacheKey.from(
                        "https",
                        host,
                        pathAndQuery.substring(0, q),
                        pathAndQuery.substring(q + 1),
                        KeyPolicy.defaults());
    }

    private static CachedResponse storedAt(long millis, String... headers) {
        return new CachedResponse(
                200, HeaderList.of(headers), new byte[0], millis, new Freshness(Duration.ofMinutes(5), Duration.ZERO));
    }

    private Verdict judge(String host, String pathAndQuery, CachedResponse response) {
        return markers.judge(key(host, pathAndQuery), response);
    }

    @Test
    void withoutMarkersEverythingIsKept() {
        assertThat(markers.isEmpty()).isTrue();
        assertThat(judge("example.com", "/a", storedAt(T))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void aPrefixNamesItselfAndWhatContinuesItAfterASlashOnItsHostOnly() {
        markers.add(PurgeMarker.prefix("Example.com", "/img/", T, false));

        assertThat(judge("example.com", "/img", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/img?v=2", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/img/logo.png", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/img/a/b/c.png", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/images/logo.png", storedAt(T))).isEqualTo(Verdict.KEEP);
        assertThat(judge("example.com", "/", storedAt(T))).isEqualTo(Verdict.KEEP);
        assertThat(judge("other.example", "/img/logo.png", storedAt(T))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void theRootPrefixNamesAWholeHost() {
        markers.add(PurgeMarker.prefix("example.com", "/", T, false));

        assertThat(judge("example.com", "/", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/deep/path?q=1", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.org", "/", storedAt(T))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void onlyEntriesStoredAtOrBeforeThePurgeAreNamed() {
        markers.add(PurgeMarker.all(T, false));

        assertThat(judge("example.com", "/a", storedAt(T - 1))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/a", storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/a", storedAt(T + 1))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void aTagNamesTheEntriesThatCarryIt() {
        markers.add(PurgeMarker.tag("product-42", T, false));

        assertThat(judge("example.com", "/a", storedAt(T, "Surrogate-Key", "home product-42")))
                .isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/b", storedAt(T, "Cache-Tag", "product-42,sale")))
                .isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/c", storedAt(T, "Surrogate-Key", "product-420")))
                .isEqualTo(Verdict.KEEP);
        assertThat(judge("example.com", "/d", storedAt(T))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void aUrlMarkerNamesThatUrlOnly() {
        markers.add(PurgeMarker.url(key("example.com", "/a?x=1"), T, true));

        assertThat(judge("example.com", "/a?x=1", storedAt(T))).isEqualTo(Verdict.STALE);
        assertThat(judge("example.com", "/a", storedAt(T))).isEqualTo(Verdict.KEEP);
        assertThat(judge("example.com", "/a?x=2", storedAt(T))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void aSoftPurgeMakesStaleAndAHardOneWins() {
        markers.add(PurgeMarker.prefix("example.com", "/news", T, true));
        assertThat(judge("example.com", "/news/today", storedAt(T))).isEqualTo(Verdict.STALE);

        markers.add(PurgeMarker.tag("today", T + 10, false));
        assertThat(judge("example.com", "/news/today", storedAt(T, "Surrogate-Key", "today")))
                .isEqualTo(Verdict.GONE);
        assertThat(judge("example.com", "/news/today", storedAt(T + 5))).isEqualTo(Verdict.KEEP);
    }

    @Test
    void markersOfOneTargetMergeToTheLatestOfEachKind() {
        markers.add(PurgeMarker.tag("t", T + 10, false));
        PurgeMarker kept = markers.add(PurgeMarker.tag("t", T, false));
        markers.add(PurgeMarker.tag("t", T + 20, true));

        assertThat(kept.atMillis()).isEqualTo(T + 10);
        assertThat(markers.markers())
                .containsExactlyInAnyOrder(PurgeMarker.tag("t", T + 10, false), PurgeMarker.tag("t", T + 20, true));
    }

    @Test
    void markersRoundTripThroughTheirList() {
        markers.add(PurgeMarker.all(T, true));
        markers.add(PurgeMarker.prefix("example.com", "/img", T + 1, false));
        markers.add(PurgeMarker.url(key("example.com", "/x"), T + 2, false));
        markers.add(PurgeMarker.tag("sale", T + 3, true));

        PurgeMarkers copy = new PurgeMarkers();
        markers.markers().forEach(copy::add);

        assertThat(copy.markers()).containsExactlyInAnyOrderElementsOf(markers.markers());
        assertThat(copy.judge(key("example.com", "/img/a"), storedAt(T))).isEqualTo(Verdict.GONE);
        assertThat(copy.judge(key("example.com", "/other"), storedAt(T))).isEqualTo(Verdict.STALE);
    }

    @Test
    void malformedMarkersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> PurgeMarker.prefix("example.com", "img", T, false))
                .hasMessageContaining("pathPrefix: \"img\" (expected: starting with /)");
        assertThatThrownBy(() -> new PurgeMarker(PurgeMarker.Scope.PREFIX, "/img", T, false))
                .hasMessageContaining("expected: a lower-case host and a path");
        assertThatThrownBy(() -> PurgeMarker.tag("", T, false)).hasMessageContaining("expected: a TAG");
        assertThatThrownBy(() -> PurgeMarker.tag("a\0b", T, false)).hasMessageContaining("no NUL");
        assertThatThrownBy(() -> new PurgeMarker(PurgeMarker.Scope.ALL, "x", T, false))
                .hasMessageContaining("expected: empty for ALL");
    }
}
