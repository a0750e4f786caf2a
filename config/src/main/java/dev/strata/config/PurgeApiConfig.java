package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The purge API role.
 *
 * @param listen where operators and nodes connect (never the public edge port)
 * @param dir the directory of the durable purge log when it is the embedded one ({@code log.kind:
 *     rocksdb})
 * @param log which purge log: embedded (RocksDB) or shared by several replicas (NATS JetStream)
 * @param tokens the bearer tokens it accepts (none by default: every request but the health check
 *     and the nodes' log reads is refused)
 * @param maxItems the most URLs, prefixes or tags one purge may name
 * @param retention how long the log keeps an entry; a node further behind treats its cache as stale
 *     (either kind of log)
 * @param retainEntries the most entries the log keeps (either kind of log)
 * @param requestsPerSecond the API's own rate limit, over all clients (bursts of as many)
 * @param nodeTimeout a node not heard from for longer is {@code unreachable} in purge status
 */
public record PurgeApiConfig(
        ListenAddress listen,
        Path dir,
        PurgeLogConfig log,
        List<PurgeTokenConfig> tokens,
        int maxItems,
        Duration retention,
        int retainEntries,
        double requestsPerSecond,
        Duration nodeTimeout) {
    public PurgeApiConfig {
        requireNonNull(listen, "listen");
        requireNonNull(dir, "dir");
        requireNonNull(log, "log");
        tokens = List.copyOf(tokens);
        requireNonNull(retention, "retention");
        requireNonNull(nodeTimeout, "nodeTimeout");
        Set<String> names = new HashSet<>();
        for (PurgeTokenConfig token : tokens) {
            if (!names.add(token.name())) {
                throw new IllegalArgumentException("tokens: \"" + token.name() + "\" twice (expected: unique names)");
            }
        }
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems: " + maxItems + " (expected: >= 1)");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention: " + retention + " (expected: > 0)");
        }
        if (retainEntries < 1) {
            throw new IllegalArgumentException("retainEntries: " + retainEntries + " (expected: >= 1)");
        }
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: > 0)");
        }
        if (nodeTimeout.isNegative() || nodeTimeout.isZero()) {
            throw new IllegalArgumentException("nodeTimeout: " + nodeTimeout + " (expected: > 0)");
        }
    }

    /** The given listener and log directory, everything else at its default. */
    public PurgeApiConfig(ListenAddress listen, Path dir) {
        this(
                listen,
                dir,
                PurgeLogConfig.defaults(),
                List.of(),
                1000,
                Duration.ofDays(7),
                1_000_000,
                100,
                Duration.ofSeconds(30));
    }

    /** The same configuration with {@code tokens}. */
    public PurgeApiConfig withTokens(List<PurgeTokenConfig> tokens) {
        return new PurgeApiConfig(
                listen, dir, log, tokens, maxItems, retention, retainEntries, requestsPerSecond, nodeTimeout);
    }

    /** The same configuration with the purge log {@code log}. */
    public PurgeApiConfig withLog(PurgeLogConfig log) {
        return new PurgeApiConfig(
                listen, dir, log, tokens, maxItems, retention, retainEntries, requestsPerSecond, nodeTimeout);
    }

    /** The same configuration with the API's own rate limit at {@code requestsPerSecond}. */
    public PurgeApiConfig withRequestsPerSecond(double requestsPerSecond) {
        return new PurgeApiConfig(
                listen, dir, log, tokens, maxItems, retention, retainEntries, requestsPerSecond, nodeTimeout);
    }

    /** The purge API on {@code 127.0.0.1:8090}, its log in RocksDB under {@code data/purge-log}, no tokens. */
    public static PurgeApiConfig defaults() {
        return new PurgeApiConfig(ListenAddress.of("127.0.0.1", 8090), Path.of("data", "purge-log"));
    }
}
