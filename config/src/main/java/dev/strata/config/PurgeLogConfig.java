package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where the purge API keeps its log (docs/purge.md, docs/adr/0008-purge-log-on-jetstream.md).
 *
 * @param kind {@code rocksdb}: embedded, in {@code purge-api.dir}, for one purge API process;
 *     {@code nats}: a NATS JetStream stream that several purge API replicas share
 * @param nats the JetStream stream, used when {@code kind} is {@code nats}
 */
public record PurgeLogConfig(String kind, NatsLogConfig nats) {
    /** The kinds of log, as written in the configuration. */
    public static final List<String> KINDS = List.of("rocksdb", "nats");

    public PurgeLogConfig {
        requireNonNull(kind, "kind");
        requireNonNull(nats, "nats");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind: \"" + kind + "\" (expected: rocksdb or nats)");
        }
    }

    /** Whether the log is the NATS JetStream one. */
    public boolean isNats() {
        return kind.equals("nats");
    }

    /** The embedded RocksDB log; the NATS settings at their defaults. */
    public static PurgeLogConfig defaults() {
        return new PurgeLogConfig("rocksdb", NatsLogConfig.defaults());
    }

    /** The JetStream log with {@code nats}. */
    public static PurgeLogConfig nats(NatsLogConfig nats) {
        return new PurgeLogConfig("nats", nats);
    }
}
