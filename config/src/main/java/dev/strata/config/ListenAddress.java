package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * A host and port to listen on, written {@code HOST:PORT} ({@code [::1]:8080} for IPv6). Port 0
 * asks the operating system for a free port.
 */
public record ListenAddress(String host, int port) {
    public ListenAddress {
        requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: \"" + host + "\" (expected: a host name or address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
    }

    /** The address {@code host:port}; a host is a name or an IP address without brackets. */
    public static ListenAddress of(String host, int port) {
        return new ListenAddress(host, port);
    }

    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static ListenAddress parse(String text) {
        String expected = "\" is not a listen address (expected: HOST:PORT, e.g. 127.0.0.1:8080)";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException('"' + text + expected);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException('"' + text + expected, e);
        }
        if (port < 0 || port > 65535 || host.isBlank()) {
            throw new IllegalArgumentException('"' + text + expected);
        }
        return new ListenAddress(host, port);
    }

    /** An unresolved socket address for binding. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
