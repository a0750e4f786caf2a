package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.CacheKey;
import java.util.Locale;

/**
 * A purge as this node applied it: what it names and when. Every entry it names that was stored
 * at or before {@code atMillis} is gone (a hard purge) or stale (a soft one); entries stored later
 * are not touched. See docs/adr/0005-purge-markers.md.
 *
 * @param scope what kind of target {@code target} is
 * @param target empty for {@link Scope#ALL}; {@code host/path} for {@link Scope#PREFIX} (host in
 *     lower case, path starting with {@code /}, no trailing {@code /} but for the root); the key's
 *     {@link CacheKey#asString()} for {@link Scope#URL}; the surrogate key for {@link Scope#TAG}
 * @param atMillis when the purge was applied here (epoch ms, this node's clock)
 * @param soft mark stale (served stale while revalidating, refilled by 304s) instead of removing
 */
public record PurgeMarker(Scope scope, String target, long atMillis, boolean soft) {
    /** What a marker names. */
    public enum Scope {
        /** Every entry. */
        ALL,
        /** Every entry of a host whose path is the prefix or continues it after a {@code /}. */
        PREFIX,
        /** One URL with all its variants. */
        URL,
        /** Every entry whose {@code Surrogate-Key} or {@code Cache-Tag} names the key. */
        TAG
    }

    public PurgeMarker {
        requireNonNull(scope, "scope");
        requireNonNull(target, "target");
        if (target.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("target: \"" + target + "\" (expected: no NUL character)");
        }
        switch (scope) {
            case ALL -> {
                if (!target.isEmpty()) {
                    throw new IllegalArgumentException("target: \"" + target + "\" (expected: empty for ALL)");
                }
            }
            case PREFIX -> {
                int slash = target.indexOf('/');
                if (slash <= 0
                        || !target.substring(0, slash)
                                .equals(target.substring(0, slash).toLowerCase(Locale.ROOT))
                        || (target.endsWith("/") && target.length() > slash + 1)) {
                    throw new IllegalArgumentException("target: \"" + target
                            + "\" (expected: a lower-case host and a path, without a trailing /)");
                }
            }
            case URL, TAG -> {
                if (target.isEmpty()) {
                    throw new IllegalArgumentException("target: \"\" (expected: a " + scope + ")");
                }
            }
        }
    }

    /** Everything. */
    public static PurgeMarker all(long atMillis, boolean soft) {
        return new PurgeMarker(Scope.ALL, "", atMillis, soft);
    }

    /**
     * Every entry of {@code host} under {@code pathPrefix}: the path itself and whatever continues
     * it after a {@code /} ({@code /img} and {@code /img/} both name {@code /img}, {@code /img?v=2}
     * and {@code /img/logo.png}, never {@code /images}).
     */
    public static PurgeMarker prefix(String host, String pathPrefix, long atMillis, boolean soft) {
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix: \"" + pathPrefix + "\" (expected: starting with /)");
        }
        String path = pathPrefix.length() > 1 && pathPrefix.endsWith("/")
                ? pathPrefix.substring(0, pathPrefix.length() - 1)
                : pathPrefix;
        return new PurgeMarker(Scope.PREFIX, host.toLowerCase(Locale.ROOT) + path, atMillis, soft);
    }

    /** One URL and all its variants. */
    public static PurgeMarker url(CacheKey key, long atMillis, boolean soft) {
        return new PurgeMarker(Scope.URL, key.asString(), atMillis, soft);
    }

    /** Every entry tagged {@code surrogateKey}. */
    public static PurgeMarker tag(String surrogateKey, long atMillis, boolean soft) {
        return new PurgeMarker(Scope.TAG, surrogateKey, atMillis, soft);
    }
}
