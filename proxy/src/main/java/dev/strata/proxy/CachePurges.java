package dev.strata.proxy;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.PurgeMarker;
import dev.strata.cache.store.TieredCache;
import dev.strata.purge.PurgeEntry;
import dev.strata.purge.PurgeFollower;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies purge-log entries to a node's cache as {@link PurgeMarker}s stamped with this node's
 * clock (docs/adr/0005-purge-markers.md), and keeps the last applied sequence with the cache. A URL
 * is keyed as the node keys requests for its host (the route's {@link KeyPolicy}), under both
 * {@code http} and {@code https}, since a cache key holds the scheme clients used. Each entry's
 * apply time goes to {@link RecentPurges}. Called on the follower's thread; blocking (markers are
 * written to disk).
 */
final class CachePurges implements PurgeFollower.Target {
    private static final Logger log = LoggerFactory.getLogger(CachePurges.class);

    private static final List<String> SCHEMES = List.of("http", "https");

    private final TieredCache cache;
    /** The node's router now (a reload may change the sites' key policies). */
    private final Supplier<Router> router;

    private final Clock clock;
    private final RecentPurges recent;

    CachePurges(TieredCache cache, Supplier<Router> router, Clock clock, RecentPurges recent) {
        this.cache = cache;
        this.router = router;
        this.clock = clock;
        this.recent = recent;
    }

    @Override
    public long appliedSeq() {
        return cache.purgeLogSeq();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A target no marker can express (the API validates them, so only a log written by another
     * version) is logged and skipped: one bad entry must never stop every later purge.
     */
    @Override
    public void apply(PurgeEntry entry) {
        long start = System.nanoTime();
        applyMarkers(entry);
        recent.applied(entry, clock.instant(), System.nanoTime() - start);
    }

    private void applyMarkers(PurgeEntry entry) {
        long now = clock.millis();
        boolean soft = entry.request().soft();
        switch (entry.request().kind()) {
            case ALL -> cache.purge(PurgeMarker.all(now, soft));
            case TAGS -> entry.request()
                    .targets()
                    .forEach(tag -> purge(entry, tag, () -> cache.purge(PurgeMarker.tag(tag, now, soft))));
            case PREFIXES -> {
                for (String target : entry.request().targets()) {
                    int slash = target.indexOf('/');
                    purge(
                            entry,
                            target,
                            () -> cache.purge(PurgeMarker.prefix(
                                    target.substring(0, slash), target.substring(slash), now, soft)));
                }
            }
            case URLS -> {
                for (String target : entry.request().targets()) {
                    purge(entry, target, () -> purgeUrl(target, now, soft));
                }
            }
        }
    }

    /** Applies one target's markers; one the markers cannot express is logged and skipped. */
    private static void purge(PurgeEntry entry, String target, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            log.warn("purge {} (seq {}): skipped target {} ({})", entry.id(), entry.seq(), target, e.getMessage());
        }
    }

    private void purgeUrl(String target, long now, boolean soft) {
        URI url = URI.create(target);
        String host = String.valueOf(url.getHost());
        Route route = router.get().select(host);
        KeyPolicy policy = route == null ? KeyPolicy.defaults() : route.keyPolicy();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : url.getRawQuery();
        for (String scheme : SCHEMES) {
            cache.purge(PurgeMarker.url(CacheKey.from(scheme, host, path, query, policy), now, soft));
        }
    }

    @Override
    public void staleEverything() {
        cache.purge(PurgeMarker.all(clock.millis(), true));
    }

    @Override
    public void applied(long seq) {
        cache.storePurgeLogSeq(seq);
    }
}
