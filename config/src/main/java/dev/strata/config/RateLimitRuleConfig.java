package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A rate limit of its own for some requests, on top of the default per-client limit: a token bucket
 * per key, for the requests whose host and path match.
 *
 * @param name identifies the limit in the 429's reason, logs and metrics; unique, not {@value
 *     RateLimitConfig#DEFAULT_LIMIT}
 * @param hosts the host names it applies to, as in {@link SiteConfig#hosts()} ({@code *} for any)
 * @param pathPrefix the paths it applies to: those starting with this (percent-decoded, as sent)
 * @param key whose bucket a request takes its token from: {@code client} (one per client address),
 *     {@code header:NAME} (one per value of that header; the client address when it is missing) or
 *     {@code route} (one bucket shared by every request that matches)
 * @param requestsPerSecond the buckets' refill rate
 * @param burst the buckets' size: requests allowed at once after a quiet spell
 */
public record RateLimitRuleConfig(
        String name, List<String> hosts, String pathPrefix, String key, double requestsPerSecond, int burst) {
    /** The keys besides {@code header:NAME}. */
    public static final List<String> KEYS = List.of("client", "route");

    /** The prefix of a key naming a header, e.g. {@code header:x-api-key}. */
    public static final String HEADER_KEY = "header:";

    public RateLimitRuleConfig {
        requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        requireNonNull(pathPrefix, "pathPrefix");
        requireNonNull(key, "key");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one host name or *)");
        }
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix: " + pathPrefix + " (expected: starting with /)");
        }
        if (!isKey(key)) {
            throw new IllegalArgumentException("key: " + key + " (expected: client, route or header:NAME)");
        }
        RateLimitConfig.checkRate(requestsPerSecond, burst);
    }

    /** Whether {@code text} is {@code client}, {@code route} or {@code header:} and a header name. */
    public static boolean isKey(String text) {
        return KEYS.contains(text)
                || (text.startsWith(HEADER_KEY) && Scalars.isToken(text.substring(HEADER_KEY.length())));
    }

    /** Whether this limit applies to a request for {@code host} (without port) and {@code path}. */
    public boolean matches(String host, String path) {
        return path.startsWith(pathPrefix) && SiteConfig.matchesHost(hosts, host);
    }
}
