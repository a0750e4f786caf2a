package dev.strata.config;

import java.util.List;

/**
 * The web application firewall in front of the cache.
 *
 * @param enabled whether requests are checked at all
 * @param allow client networks (CIDR, e.g. {@code 10.0.0.0/8}) always let through
 * @param deny client networks always answered 403
 */
public record WafConfig(boolean enabled, List<String> allow, List<String> deny) {
    public WafConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Off, with no networks listed. */
    public static WafConfig defaults() {
        return new WafConfig(false, List.of(), List.of());
    }
}
