package dev.strata.loadtest;

import java.net.URI;

/**
 * What a run requests: the URL of each request by its sequence number. Implementations are
 * thread-safe and deterministic (the same sequence number gives the same URL), so open and
 * closed loops may ask from any thread.
 */
public interface Workload {
    /** The URL of request number {@code sequence} (0-based). */
    URI uri(long sequence);

    /** A short description for reports, e.g. {@code zipf(alpha=1.0, objects=10000)}. */
    String describe();

    /** Whether the report counts {@code X-Cache} values per URL (only for few URLs). */
    default boolean tracksUrls() {
        return false;
    }

    /** The most requests this workload has; a run stops there. */
    default long maxRequests() {
        return Long.MAX_VALUE;
    }
}
