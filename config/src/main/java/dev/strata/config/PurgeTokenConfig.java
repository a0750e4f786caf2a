package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One bearer token of the purge API, stored as the SHA-256 of the token, never the token itself.
 *
 * @param name who holds it, in logs and in the purge log's entries
 * @param sha256 the SHA-256 of the token's UTF-8 bytes, 64 hex digits (lower case once bound)
 * @param sites the site names it may act on, or {@code *} for every site
 * @param actions what it may do: {@code purge} (make purges) and {@code read} (purge status, nodes)
 */
public record PurgeTokenConfig(String name, String sha256, List<String> sites, List<String> actions) {
    /** The actions a token can be given. */
    public static final Set<String> ACTIONS = Set.of("purge", "read");

    public PurgeTokenConfig {
        requireNonNull(name, "name");
        requireNonNull(sha256, "sha256");
        sites = List.copyOf(sites);
        actions = List.copyOf(actions);
        if (!sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(
                    "sha256: \"" + sha256 + "\" (expected: the SHA-256 of the token, 64 hex digits)");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("sites: [] (expected: site names, or [\"*\"] for every site)");
        }
        for (String action : actions) {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("actions: \"" + action + "\" (expected: purge or read)");
            }
        }
    }

    /** Whether this token may act on {@code site}. */
    public boolean allowsSite(String site) {
        return sites.contains("*") || sites.contains(site);
    }

    /** Whether this token may act on every site. */
    public boolean allowsEverySite() {
        return sites.contains("*");
    }
}
