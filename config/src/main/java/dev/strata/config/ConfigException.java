package dev.strata.config;

/**
 * A configuration that cannot be used. The message is complete and meant for an operator: it names
 * where (file and line, or the command-line flag), the key path, the bad value and what was
 * expected, e.g. {@code strata.yaml:12: edge.cache.memory: "64XB" is not a size (expected: e.g.
 * 512MiB)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error whose message is complete: source, key path, value and expectation. */
    public ConfigException(String message) {
        super(message);
    }

    /** An error with the problem underneath it, such as the {@code IOException} of an unreadable file. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
