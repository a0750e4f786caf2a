package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The purges a node has applied, judged against each entry as it is looked up (as Varnish judges
 * bans): applying a purge of a prefix, a surrogate key or everything is one map update, never a
 * walk over the cache, and a lookup pays a few hash lookups only while markers exist.
 *
 * <p>Per target only the latest hard and the latest soft purge matter: an entry stored at or
 * before the latest hard purge of anything that names it is gone; otherwise one stored at or
 * before the latest soft purge is stale. Thread-safe; {@link #judge} does not block and allocates
 * nothing while there are no markers.
 */
public final class PurgeMarkers {
    /** What a lookup does with an entry. */
    public enum Verdict {
        /** Not purged. */
        KEEP,
        /** Soft-purged: serve it only as a stale entry (revalidate, or stale-while-revalidate). */
        STALE,
        /** Purged: a miss. */
        GONE
    }

    /** The latest hard and soft purge of one target; {@code Long.MIN_VALUE} for none. */
    private record Times(long hardAt, long softAt) {
        static final Times NONE = new Times(Long.MIN_VALUE, Long.MIN_VALUE);

        Times with(PurgeMarker marker) {
            return marker.soft()
                    ? new Times(hardAt, Math.max(softAt, marker.atMillis()))
                    : new Times(Math.max(hardAt, marker.atMillis()), softAt);
        }

        Verdict judge(long storedAtMillis) {
            if (storedAtMillis <= hardAt) {
                return Verdict.GONE;
            }
            return storedAtMillis <= softAt ? Verdict.STALE : Verdict.KEEP;
        }
    }

    private volatile Times all = Times.NONE;
    private final Map<String, Times> urls = new ConcurrentHashMap<>();
    /** By host, then by path prefix (no trailing slash but for the root). */
    private final Map<String, Map<String, Times>> prefixes = new ConcurrentHashMap<>();

    private final Map<String, Times> tags = new ConcurrentHashMap<>();
    private volatile boolean any;

    /**
     * Applies {@code marker}, merged with what its target already had.
     *
     * @return the marker to keep for that target and kind: {@code marker}, or a later one of the
     *     same target and kind applied before
     */
    public PurgeMarker add(PurgeMarker marker) {
        Times merged =
                switch (marker.scope()) {
                    case ALL -> mergeAll(marker);
                    case URL -> urls.merge(marker.target(), Times.NONE.with(marker), (old, none) -> old.with(marker));
                    case TAG -> tags.merge(marker.target(), Times.NONE.with(marker), (old, none) -> old.with(marker));
                    case PREFIX -> {
                        int slash = marker.target().indexOf('/');
                        yield prefixes.computeIfAbsent(
                                        marker.target().substring(0, slash), h -> new ConcurrentHashMap<>())
                                .merge(
                                        marker.target().substring(slash),
                                        Times.NONE.with(marker),
                                        (old, none) -> old.with(marker));
                    }
                };
        any = true;
        long at = marker.soft() ? merged.softAt() : merged.hardAt();
        return new PurgeMarker(marker.scope(), marker.target(), at, marker.soft());
    }

    private synchronized Times mergeAll(PurgeMarker marker) {
        all = all.with(marker);
        return all;
    }

    /** Whether any purge was applied. */
    public boolean isEmpty() {
        return !any;
    }

    /** The verdict on {@code response}, stored under {@code key} (the URL's key for a variant). Non-blocking. */
    public Verdict judge(CacheKey key, CachedResponse response) {
        return any ? judge(key, response.headers(), response.storedAtMillis()) : Verdict.KEEP;
    }

    /**
     * The verdict on a response with {@code headers} stored at {@code stored}: for a fill, pass the
     * time its request was sent, so an answer fetched before a purge is never stored after it.
     */
    public Verdict judge(CacheKey key, HeaderList headers, long stored) {
        if (!any) {
            return Verdict.KEEP;
        }
        Verdict verdict = all.judge(stored);
        if (verdict == Verdict.GONE) {
            return verdict;
        }
        if (!urls.isEmpty()) {
            verdict = worse(verdict, urls.get(key.asString()), stored);
        }
        Map<String, Times> ofHost = prefixes.get(key.host());
        if (ofHost != null) {
            verdict = judgePrefixes(ofHost, key.path(), stored, verdict);
        }
        if (!tags.isEmpty() && verdict != Verdict.GONE) {
            for (String tag : SurrogateKeys.of(headers)) {
                verdict = worse(verdict, tags.get(tag), stored);
            }
        }
        return verdict;
    }

    /** {@code verdict} or worse, by the prefixes that name {@code path}: the root, each part before a /, the path. */
    private static Verdict judgePrefixes(Map<String, Times> ofHost, String path, long stored, Verdict verdict) {
        Verdict worst = worse(verdict, ofHost.get("/"), stored);
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            worst = worse(worst, ofHost.get(path.substring(0, slash)), stored);
        }
        return path.length() > 1 ? worse(worst, ofHost.get(path), stored) : worst;
    }

    private static Verdict worse(Verdict verdict, @Nullable Times times, long stored) {
        if (times == null) {
            return verdict;
        }
        Verdict other = times.judge(stored);
        return other.compareTo(verdict) > 0 ? other : verdict;
    }

    /** Every marker kept, for persistence. */
    public List<PurgeMarker> markers() {
        List<PurgeMarker> markers = new ArrayList<>();
        addBoth(markers, PurgeMarker.Scope.ALL, "", all);
        urls.forEach((target, times) -> addBoth(markers, PurgeMarker.Scope.URL, target, times));
        tags.forEach((target, times) -> addBoth(markers, PurgeMarker.Scope.TAG, target, times));
        prefixes.forEach((host, paths) ->
                paths.forEach((path, times) -> addBoth(markers, PurgeMarker.Scope.PREFIX, host + path, times)));
        return markers;
    }

    private static void addBoth(List<PurgeMarker> markers, PurgeMarker.Scope scope, String target, Times times) {
        if (times.hardAt() != Long.MIN_VALUE) {
            markers.add(new PurgeMarker(scope, target, times.hardAt(), false));
        }
        if (times.softAt() != Long.MIN_VALUE) {
            markers.add(new PurgeMarker(scope, target, times.softAt(), true));
        }
    }
}
