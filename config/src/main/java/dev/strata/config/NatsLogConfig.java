package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The purge log on NATS JetStream: the servers, the stream and how long to wait for them.
 *
 * @param servers the NATS servers to connect to ({@code nats://host:4222}, {@code tls://…}); the
 *     client also learns the other servers of their cluster and reconnects to any of them
 * @param stream the JetStream stream holding the log, created when missing; every purge API
 *     replica of one deployment names the same stream
 * @param replicas how many servers keep each entry (1 to 5; 3 survives the loss of one)
 * @param credentials a NATS credentials file (user JWT and NKey seed): at most one; empty for none
 * @param connectTimeout the longest wait for the first connection at start
 * @param requestTimeout the longest wait for an answer of JetStream, an append's acknowledgement
 *     included; a longer wait fails the request with 503
 */
public record NatsLogConfig(
        List<URI> servers,
        String stream,
        int replicas,
        List<Path> credentials,
        Duration connectTimeout,
        Duration requestTimeout) {
    /** What a stream name may be: a single subject token, so it can also name the log's subjects. */
    public static final String STREAM_NAME = "[A-Za-z0-9_-]{1,64}";

    public NatsLogConfig {
        servers = List.copyOf(servers);
        requireNonNull(stream, "stream");
        credentials = List.copyOf(credentials);
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(requestTimeout, "requestTimeout");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: [] (expected: at least one NATS URL)");
        }
        if (!stream.matches(STREAM_NAME)) {
            throw new IllegalArgumentException(
                    "stream: \"" + stream + "\" (expected: letters, digits, '-' or '_', at most 64)");
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: 1 to 5)");
        }
        if (credentials.size() > 1) {
            throw new IllegalArgumentException("credentials: " + credentials + " (expected: at most one file)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0)");
        }
    }

    /** {@code servers} and {@code stream}, everything else at its default. */
    public NatsLogConfig(List<URI> servers, String stream) {
        this(servers, stream, 1, List.of(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** A local server ({@code nats://127.0.0.1:4222}), stream {@code STRATA_PURGE}, one replica. */
    public static NatsLogConfig defaults() {
        return new NatsLogConfig(List.of(URI.create("nats://127.0.0.1:4222")), "STRATA_PURGE");
    }
}
