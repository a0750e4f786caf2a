package dev.strata.proxy.accesslog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading lines of the {@code combined} access log format back into their fields, for tests. */
public final class CombinedLines {
    /**
     * The fields, in order: 1 client, 2 time, 3 method, 4 target, 5 protocol, 6 status, 7 body bytes,
     * 8 referer, 9 user agent (both may hold {@code \xHH} escapes), 10 cache, 11 upstream seconds, 12
     * bytes sent, 13 node, 14 request id, 15 total seconds.
     */
    public static final Pattern PATTERN = Pattern.compile("(\\S+) - - \\[([^]]+)] \"(\\S+) (\\S+) (\\S+)\""
            + " (\\d{3}) (\\d+) \"((?:[^\"\\\\]|\\\\x[0-9a-f]{2})*)\" \"((?:[^\"\\\\]|\\\\x[0-9a-f]{2})*)\""
            + " (\\S+) (\\S+) (\\d+) (\\S+) (\\S+) (\\S+)");

    private CombinedLines() {}

    /** The fields of {@code line}; fails the test when it is not a combined line. */
    public static Matcher fields(String line) {
        Matcher fields = PATTERN.matcher(line);
        if (!fields.matches()) {
            throw new AssertionError("not a combined access log line: " + line);
        }
        return fields;
    }
}
