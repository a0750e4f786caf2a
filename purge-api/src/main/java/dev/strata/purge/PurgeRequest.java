package dev.strata.purge;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * What an operator asked to purge, validated and normalized: one kind of target and its targets.
 *
 * @param kind what the targets are
 * @param targets for {@link Kind#URLS} absolute URLs ({@code scheme://host/path?query}, host in
 *     lower case without port); for {@link Kind#PREFIXES} a host and a path ({@code
 *     www.example.com/img}, the root {@code www.example.com/}); for {@link Kind#TAGS} surrogate
 *     keys; empty for {@link Kind#ALL}
 * @param soft mark stale (refilled by revalidation) instead of removing
 * @param sites the sites the targets belong to, or {@code *} when the purge names every site
 */
public record PurgeRequest(Kind kind, List<String> targets, boolean soft, List<String> sites) {
    /** What a purge names. */
    public enum Kind {
        URLS,
        PREFIXES,
        TAGS,
        ALL;

        /** The JSON field of this kind: {@code urls}, {@code prefixes}, {@code tags}, {@code all}. */
        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PurgeRequest {
        requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        sites = List.copyOf(sites);
        if ((kind == Kind.ALL) != targets.isEmpty()) {
            throw new IllegalArgumentException(
                    "targets: " + targets + " (expected: none for ALL, at least one otherwise)");
        }
    }
}
