package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What one request got: a response (its status, {@code X-Cache} and body size) or a failure kind
 * such as {@code connect} or {@code timeout}.
 *
 * @param status the HTTP status, or 0 when no response arrived
 * @param xCache the {@code X-Cache} value, or null without one
 * @param bodyBytes the body bytes received
 * @param failure the kind of failure when no response arrived, else null
 */
public record Outcome(int status, @Nullable String xCache, long bodyBytes, @Nullable String failure) {
    public Outcome {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes: " + bodyBytes + " (expected: >= 0)");
        }
        if ((status == 0) == (failure == null)) {
            throw new IllegalArgumentException(
                    "status " + status + ", failure " + failure + " (expected: a status or a failure)");
        }
    }

    /** A response. */
    public static Outcome response(int status, @Nullable String xCache, long bodyBytes) {
        return new Outcome(status, xCache, bodyBytes, null);
    }

    /** No response: {@code kind} names why, e.g. {@code connect}, {@code timeout}, {@code closed}. */
    public static Outcome failed(String kind) {
        return new Outcome(0, null, 0, requireNonNull(kind, "kind"));
    }

    /** The error kind this outcome counts as, or null when it is a success (1xx to 3xx). */
    @Nullable
    String errorKind() {
        if (failure != null) {
            return failure;
        }
        if (status >= 500) {
            return "http-5xx";
        }
        if (status >= 400) {
            return "http-4xx";
        }
        return null;
    }
}
