package dev.strata.loadtest;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Load targets: only {@code http} URLs whose host resolves to loopback addresses alone, so a load
 * run can never be pointed at someone else's server; and building request URLs on a target.
 */
public final class Targets {
    private Targets() {}

    /**
     * Parses {@code text} and checks that it is an {@code http} URL on loopback.
     *
     * @throws LoadtestException naming the URL and what was expected
     */
    public static URI requireLoopback(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new LoadtestException(
                    "--target: \"" + text + "\" is not a URL (expected: e.g. http://127.0.0.1:8081/)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new LoadtestException("--target: \"" + text
                    + "\" is not an http URL with a host (expected: e.g. http://127.0.0.1:8081/)");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new LoadtestException("--target: host " + uri.getHost() + " does not resolve (expected: a loopback"
                    + " address such as 127.0.0.1, ::1 or localhost)");
        }
        if (addresses.length == 0 || !Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            String resolved =
                    Arrays.stream(addresses).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
            throw new LoadtestException("--target: host " + uri.getHost() + " resolves to " + resolved
                    + ", which is not loopback (expected: only 127.0.0.0/8 or ::1; load runs stay on this machine)");
        }
        return uri;
    }

    /** {@code target} with its path and query replaced: {@code http://host:port} + {@code pathAndQuery}. */
    static URI at(URI target, String pathAndQuery) {
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + pathAndQuery);
    }

    /** Whether the target names no object of its own (empty path or {@code /}). */
    static boolean isRoot(URI target) {
        String path = target.getRawPath();
        return path == null || path.isEmpty() || path.equals("/");
    }

    /** The target's path and query, then {@code param} appended as a query parameter. */
    static String withParam(URI target, String param) {
        String query = target.getRawQuery();
        return target.getRawPath() + (query == null ? "?" : "?" + query + "&") + param;
    }
}
