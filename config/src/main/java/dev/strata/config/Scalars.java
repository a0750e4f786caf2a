package dev.strata.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parsers for the scalar forms of the configuration that have no value type of their own. Each
 * throws {@link IllegalArgumentException} whose message is the detail of a configuration error:
 * the quoted text and what was expected.
 */
final class Scalars {
    private static final int MAX_QUOTED = 100;
    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST =
            Pattern.compile("\\*|(\\*\\.)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern STREAM_NAME = Pattern.compile(NatsLogConfig.STREAM_NAME);
    private static final Pattern QUERY_PARAM = Pattern.compile("[^\\s&=#*]*\\*?");

    private Scalars() {}

    /** The text in double quotes, escaped and shortened so a message stays one readable line. */
    static String quote(String text) {
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** YAML 1.2 core booleans: {@code true}, {@code True}, {@code TRUE} and the same for false. */
    static boolean parseBoolean(String text) {
        switch (text) {
            case "true", "True", "TRUE" -> {
                return true;
            }
            case "false", "False", "FALSE" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("expected true or false, got " + quote(text));
        }
    }

    static int parseInt(String text) {
        if (!WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("expected a whole number, got " + quote(text));
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    quote(text)
                            + " is out of range (expected: a whole number from "
                            + Integer.MIN_VALUE
                            + " to "
                            + Integer.MAX_VALUE
                            + ")",
                    e);
        }
    }

    static double parseDouble(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("expected a number, got " + quote(text));
        }
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException(quote(text) + " is out of range (expected: a finite number)");
        }
        return value;
    }

    static Path parsePath(String text) {
        String expected = " is not a path (expected: e.g. data/edge-cache)";
        if (text.isBlank()) {
            throw new IllegalArgumentException(quote(text) + expected);
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(quote(text) + expected, e);
        }
    }

    /**
     * An absolute {@code http} or {@code https} URL with a host and no user info, query or fragment.
     * A path of just {@code /} is dropped, so {@code http://a:8000/} and {@code http://a:8000} are
     * the same origin.
     */
    static URI parseUrl(String text) {
        String expected = " is not an http(s) URL (expected: e.g. http://127.0.0.1:8000)";
        URI uri = parseUri(text, expected, "http", "https");
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(quote(text) + expected);
        }
        if ("/".equals(uri.getRawPath())) {
            return URI.create(text.substring(0, text.length() - 1));
        }
        return uri;
    }

    /**
     * A NATS server: {@code nats://} or {@code tls://}, a host and a port (4222 when left out), no
     * user info (credentials go in a file, so that printing the configuration shows no secret), no
     * path, query or fragment.
     */
    static URI parseNatsUrl(String text) {
        String expected = " is not a NATS URL (expected: e.g. nats://127.0.0.1:4222 or tls://nats.example.com:4222)";
        URI uri = parseUri(text, expected, "nats", "tls");
        String path = uri.getRawPath();
        if (!(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException(quote(text) + expected);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    quote(text) + " has a user or password (expected: none; use purge-api.log.nats.credentials)");
        }
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority()
                + (uri.getPort() < 0 ? ":4222" : ""));
    }

    /** An absolute URI with one of {@code schemes} (any case), a host, and no query or fragment. */
    private static URI parseUri(String text, String expected, String... schemes) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(quote(text) + expected, e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || Arrays.stream(schemes).noneMatch(scheme::equalsIgnoreCase)
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(quote(text) + expected);
        }
        return uri;
    }

    static String parseName(String text, String what) {
        if (!NAME.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    quote(text) + " is not " + what + " (expected: letters, digits, '.', '_' or '-', at most 63)");
        }
        return text;
    }

    static String parseHost(String text) {
        if (text.length() > 255 || !HOST.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    quote(text) + " is not a host name (expected: e.g. www.example.com, *.example.com or *)");
        }
        return text;
    }

    static String parseNetwork(String text) {
        if (!Networks.isCidr(text)) {
            throw new IllegalArgumentException(quote(text) + " is not a network (expected: CIDR, e.g. 10.0.0.0/8)");
        }
        return text;
    }

    static String parseQueryParam(String text) {
        if (text.isEmpty() || !QUERY_PARAM.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    quote(text) + " is not a query parameter name (expected: e.g. fbclid or utm_*)");
        }
        return text;
    }

    static String parseBalancer(String text) {
        if (!SiteConfig.BALANCERS.contains(text)) {
            throw new IllegalArgumentException(quote(text) + " is not a balancer (expected: one of "
                    + String.join(", ", SiteConfig.BALANCERS) + ")");
        }
        return text;
    }

    static String parseLogKind(String text) {
        return oneOf(text, PurgeLogConfig.KINDS, "a purge log kind");
    }

    static String parseAccessLogFormat(String text) {
        return oneOf(text, AccessLogConfig.FORMATS, "an access log format");
    }

    private static String oneOf(String text, List<String> choices, String what) {
        if (!choices.contains(text)) {
            throw new IllegalArgumentException(
                    quote(text) + " is not " + what + " (expected: one of " + String.join(", ", choices) + ")");
        }
        return text;
    }

    static String parseWafMode(String text) {
        return oneOf(text, WafConfig.MODES, "a WAF mode");
    }

    /** A method name: an RFC 9110 token, such as {@code GET} (methods are case-sensitive). */
    static String parseMethod(String text) {
        if (text.length() > 32 || !isToken(text)) {
            throw new IllegalArgumentException(quote(text) + " is not an HTTP method (expected: e.g. GET)");
        }
        return text;
    }

    static String parseWafTarget(String text) {
        if (!WafRuleConfig.isTarget(text)) {
            throw new IllegalArgumentException(quote(text) + " is not a WAF rule target (expected: one of "
                    + String.join(", ", WafRuleConfig.TARGETS) + ", or header:NAME)");
        }
        return text;
    }

    /** A {@link Pattern} in Java's syntax; the error quotes the regex and the parser's reason. */
    static String parseRegex(String text) {
        try {
            Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    quote(text) + " is not a regular expression (expected: Java regex syntax; " + e.getDescription()
                            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")",
                    e);
        }
        return text;
    }

    static String parseLimitKey(String text) {
        if (!RateLimitRuleConfig.isKey(text)) {
            throw new IllegalArgumentException(
                    quote(text) + " is not a rate limit key (expected: client, route or header:NAME)");
        }
        return text;
    }

    static String parsePathPrefix(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(quote(text) + " is not a path prefix (expected: e.g. /api/)");
        }
        return text;
    }

    /** Whether {@code text} is an RFC 9110 token (§5.6.2): a method or a header field name. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    static String parseStreamName(String text) {
        if (!STREAM_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException(quote(text)
                    + " is not a stream name (expected: letters, digits, '-' or '_', at most 64, e.g. STRATA_PURGE)");
        }
        return text;
    }
}
