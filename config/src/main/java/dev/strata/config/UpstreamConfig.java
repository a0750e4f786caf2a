package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a node talks to its next hop (shields for an edge, origins for a shield).
 *
 * @param connectTimeout longest wait for a TCP connection
 * @param responseTimeout longest wait for the response head after the request was sent
 * @param maxConnectionsPerHost keep-alive pool size per upstream host
 * @param retryBudgetRatio retries to another host allowed per request, over a 10 s window, 0 to 1
 * @param retryBudgetMinPerSecond retries allowed per second whatever the traffic, at least 0
 */
public record UpstreamConfig(
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnectionsPerHost,
        double retryBudgetRatio,
        int retryBudgetMinPerSecond) {
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
        if (!(retryBudgetRatio >= 0 && retryBudgetRatio <= 1)) {
            throw new IllegalArgumentException("retryBudgetRatio: " + retryBudgetRatio + " (expected: 0 to 1)");
        }
        if (retryBudgetMinPerSecond < 0) {
            throw new IllegalArgumentException(
                    "retryBudgetMinPerSecond: " + retryBudgetMinPerSecond + " (expected: >= 0)");
        }
    }

    /** Timeouts and pool size as given, with the default retry budget. */
    public UpstreamConfig(Duration connectTimeout, Duration responseTimeout, int maxConnectionsPerHost) {
        this(connectTimeout, responseTimeout, maxConnectionsPerHost, 0.2, 10);
    }

    /**
     * 2s to connect, 30s for the response head, 256 connections per host, retries up to 20% of
     * requests plus 10 per second (Finagle's budget).
     */
    public static UpstreamConfig defaults() {
        return new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 256);
    }
}
