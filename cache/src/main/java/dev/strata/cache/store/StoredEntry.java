package dev.strata.cache.store;

/**
 * What a tier holds under a URL's {@link dev.strata.cache.key.CacheKey}: the URL's one response
 * when it does not vary, or the {@link VaryMarker} naming the request fields that select one of
 * its variants (each stored under a {@link dev.strata.cache.key.VaryKey}).
 */
public sealed interface StoredEntry permits CachedResponse, VaryMarker {
    /** Approximate bytes in memory, for weighing in the memory tier. */
    long weight();
}
