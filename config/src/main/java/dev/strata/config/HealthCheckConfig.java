package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Active health checks of a pool's hosts: every {@code interval} each host is asked {@code GET
 * path}; an answer below 400 within {@code timeout} passes. A host is marked down after {@code fall}
 * checks failed in a row and up again after {@code rise} passed in a row.
 *
 * @param enabled whether the hosts are checked at all
 * @param path the request target of a check, starting with {@code /}
 * @param interval time between two checks of one host
 * @param timeout longest wait for a check's answer, connecting included
 * @param fall failed checks in a row that mark a host down, at least 1
 * @param rise passed checks in a row that mark a host up again, at least 1
 */
public record HealthCheckConfig(boolean enabled, String path, Duration interval, Duration timeout, int fall, int rise) {
    /**
     * The path every Strata node answers itself with 200 while it serves (503 once it shuts down),
     * whatever its sites: what an edge checks its shields with by default.
     */
    public static final String NODE_HEALTH_PATH = "/.strata/health";

    public HealthCheckConfig {
        requireNonNull(path, "path");
        requireNonNull(interval, "interval");
        requireNonNull(timeout, "timeout");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (fall < 1) {
            throw new IllegalArgumentException("fall: " + fall + " (expected: >= 1)");
        }
        if (rise < 1) {
            throw new IllegalArgumentException("rise: " + rise + " (expected: >= 1)");
        }
    }

    /**
     * Checks of a site's origins: off (as in nginx, HAProxy and Envoy, since only the operator knows
     * a cheap path), and when turned on {@code GET /} every 5s with a 2s timeout, down after 3
     * failures, up after 2 passes.
     */
    public static HealthCheckConfig defaults() {
        return new HealthCheckConfig(false, "/", Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 2);
    }

    /**
     * Checks of an edge's shields: on, {@code GET} {@value #NODE_HEALTH_PATH} (answered by the shield
     * itself, never its origins) every 2s with a 1s timeout, down after 2 failures, up after 2 passes.
     */
    public static HealthCheckConfig forShields() {
        return new HealthCheckConfig(true, NODE_HEALTH_PATH, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 2);
    }
}
