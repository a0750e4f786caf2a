package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a node talks to its next hop (shields for an edge, origins for a shield).
 *
 * @param connectTimeout longest wait for a TCP connection
 * @param responseTimeout longest wait for the response head after the request was sent
 * @param maxConnectionsPerHost keep-alive pool size per upstream host
 */
public record UpstreamConfig(Duration connectTimeout, Duration responseTimeout, int maxConnectionsPerHost) {
    public UpstreamConfig {
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(responseTimeout, "responseTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout: " + responseTimeout + " (expected: > 0)");
        }
        if (maxConnectionsPerHost < 1) {
            throw new IllegalArgumentException("maxConnectionsPerHost: " + maxConnectionsPerHost + " (expected: >= 1)");
        }
    }

    /** 2s to connect, 30s for the response head, 256 connections per host. */
    public static UpstreamConfig defaults() {
        return new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 256);
    }
}
