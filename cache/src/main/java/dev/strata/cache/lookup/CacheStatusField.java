package dev.strata.cache.lookup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One member of the {@code Cache-Status} response field (RFC 9211): how this cache handled the
 * request, for example {@code strata-ams; hit; ttl=57} or {@code strata-ams; fwd=stale;
 * fwd-status=304; stored}.
 *
 * <p>The field is a Structured Fields List (RFC 8941); each cache appends its member after those of
 * the caches nearer the origin ({@link #append}). The member's item is the cache's name, a Token
 * when it is one and a String otherwise. Parameters are written in the order {@code hit}, {@code
 * fwd}, {@code fwd-status}, {@code ttl}, {@code stored}, {@code collapsed}, {@code detail}; {@code
 * key} is never sent (it would expose the cache key). A {@code detail} that is not a Token is sent as
 * a String, with characters outside printable ASCII replaced by {@code ?}.
 *
 * <p>{@code hit} and {@code fwd} exclude each other; {@code fwd-status}, {@code stored} and {@code
 * collapsed} describe a forward and need {@code fwd}. A stale response served from the cache is a
 * {@code hit} with a negative {@code ttl} (RFC 9211 §3). Immutable; the {@link Builder} is not
 * thread-safe.
 *
 * @param cache the cache's name, printable ASCII, not empty (e.g. {@code "strata-" + nodeName})
 * @param hit the request was answered from the cache without going forward
 * @param fwd why the request went forward, or null
 * @param fwdStatus the status the next hop answered the forward with
 * @param ttl the remaining freshness lifetime in seconds, negative when stale
 * @param stored whether the response was stored (null: not said)
 * @param collapsed whether the forward was collapsed with another (null: not said)
 * @param detail implementation-specific detail, or null
 */
public record CacheStatusField(
        String cache,
        boolean hit,
        @Nullable Fwd fwd,
        OptionalInt fwdStatus,
        OptionalLong ttl,
        @Nullable Boolean stored,
        @Nullable Boolean collapsed,
        @Nullable String detail) {
    /** The largest magnitude of a Structured Fields Integer (RFC 8941 §3.3.1). */
    private static final long MAX_INTEGER = 999_999_999_999_999L;

    /** Why a request went forward (RFC 9211 §2.2). */
    public enum Fwd {
        /** The cache was configured not to handle this request. */
        BYPASS("bypass"),
        /** The method requires forwarding. */
        METHOD("method"),
        /** Nothing is stored for the URI. */
        URI_MISS("uri-miss"),
        /** Responses are stored for the URI, but none for the request's varying fields. */
        VARY_MISS("vary-miss"),
        /** Nothing usable is stored (uri-miss or vary-miss, not told apart). */
        MISS("miss"),
        /** A fresh response is stored, but the request's directives did not allow its use. */
        REQUEST("request"),
        /** A stored response was selected, but it was stale. */
        STALE("stale"),
        /** A partial response was stored that did not cover the request. */
        PARTIAL("partial");

        private final String token;

        Fwd(String token) {
            this.token = token;
        }

        /** The value as sent. */
        public String token() {
            return token;
        }
    }

    public CacheStatusField {
        requireNonNull(cache, "cache");
        requireNonNull(fwdStatus, "fwdStatus");
        requireNonNull(ttl, "ttl");
        if (cache.isEmpty() || !isPrintableAscii(cache)) {
            throw new IllegalArgumentException("cache: \"" + cache + "\" (expected: non-empty printable ASCII)");
        }
        if (hit && fwd != null) {
            throw new IllegalArgumentException("hit and fwd=" + fwd.token() + " (expected: one of them)");
        }
        if (fwd == null && (fwdStatus.isPresent() || stored != null || collapsed != null)) {
            throw new IllegalArgumentException("fwd-status, stored or collapsed without fwd (expected: fwd)");
        }
        if (fwdStatus.isPresent() && (fwdStatus.getAsInt() < 100 || fwdStatus.getAsInt() > 999)) {
            throw new IllegalArgumentException("fwdStatus: " + fwdStatus.getAsInt() + " (expected: 100 to 999)");
        }
        if (ttl.isPresent()) {
            ttl = OptionalLong.of(Math.max(-MAX_INTEGER, Math.min(MAX_INTEGER, ttl.getAsLong())));
        }
    }

    /**
     * The start of a plain hit's member, {@code NAME; hit; ttl=}: followed by {@link
     * #ttlSeconds}, it is what {@code builder(cache).hit().ttl(remaining).build().format()} makes,
     * without building it per response.
     */
    public static String hitPrefix(String cache) {
        return builder(cache).hit().build().format() + "; ttl=";
    }

    /** The {@code ttl} parameter's value for {@code remaining}: whole seconds, in sf-integer range. */
    public static long ttlSeconds(Duration remaining) {
        return Math.max(-MAX_INTEGER, Math.min(MAX_INTEGER, remaining.toSeconds()));
    }

    /** A builder for the member of the cache named {@code cache}. */
    public static Builder builder(String cache) {
        return new Builder(cache);
    }

    /** The member as sent: {@code strata-ams; hit; ttl=57}. */
    public String format() {
        StringBuilder out = new StringBuilder(64);
        appendTokenOrString(out, cache);
        if (hit) {
            out.append("; hit");
        }
        if (fwd != null) {
            out.append("; fwd=").append(fwd.token());
        }
        if (fwdStatus.isPresent()) {
            out.append("; fwd-status=").append(fwdStatus.getAsInt());
        }
        if (ttl.isPresent()) {
            out.append("; ttl=").append(ttl.getAsLong());
        }
        appendBoolean(out, "stored", stored);
        appendBoolean(out, "collapsed", collapsed);
        if (detail != null) {
            out.append("; detail=");
            appendTokenOrString(out, detail);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * The {@code Cache-Status} value with {@code member} appended after the upstream's members (RFC
     * 9211 §2: caches preserve the existing value).
     *
     * @param upstreamValue the upstream's field value, or null when it sent none
     * @param member this cache's member ({@link #format()})
     */
    public static String append(@Nullable String upstreamValue, String member) {
        requireNonNull(member, "member");
        if (upstreamValue == null) {
            return member;
        }
        String upstream = upstreamValue.strip();
        while (upstream.endsWith(",")) {
            upstream = upstream.substring(0, upstream.length() - 1).strip();
        }
        return upstream.isEmpty() ? member : upstream + ", " + member;
    }

    /** As {@link #append(String, String)}, for an upstream value sent as several field lines. */
    public static String appendToLines(List<String> upstreamLines, String member) {
        return append(upstreamLines.isEmpty() ? null : String.join(", ", upstreamLines), member);
    }

    private static void appendBoolean(StringBuilder out, String name, @Nullable Boolean value) {
        if (value != null) {
            out.append("; ").append(name).append(value ? "" : "=?0");
        }
    }

    private static void appendTokenOrString(StringBuilder out, String value) {
        if (isToken(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** An sf-token (RFC 8941 §3.3.4): ALPHA or {@code *}, then tchar, {@code :} or {@code /}. */
    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '*')) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Builds a {@link CacheStatusField}. Not thread-safe; one per response. */
    public static final class Builder {
        private final String cache;
        private boolean hit;
        private @Nullable Fwd fwd;
        private OptionalInt fwdStatus = OptionalInt.empty();
        private OptionalLong ttl = OptionalLong.empty();
        private @Nullable Boolean stored;
        private @Nullable Boolean collapsed;
        private @Nullable String detail;

        private Builder(String cache) {
            this.cache = requireNonNull(cache, "cache");
        }

        /** Answered from the cache without going forward. */
        public Builder hit() {
            this.hit = true;
            return this;
        }

        /** Went forward, for {@code reason}. */
        public Builder fwd(Fwd reason) {
            this.fwd = requireNonNull(reason, "reason");
            return this;
        }

        /** The status the next hop answered the forward with. */
        public Builder fwdStatus(int status) {
            this.fwdStatus = OptionalInt.of(status);
            return this;
        }

        /** The remaining freshness lifetime in whole seconds (rounded down), negative when stale. */
        public Builder ttl(Duration remaining) {
            this.ttl = OptionalLong.of(remaining.toSeconds());
            return this;
        }

        /** Whether the forwarded response was stored. */
        public Builder stored(boolean stored) {
            this.stored = stored;
            return this;
        }

        /** Whether the forward was collapsed with another request's. */
        public Builder collapsed(boolean collapsed) {
            this.collapsed = collapsed;
            return this;
        }

        /** Implementation-specific detail, such as {@code "swr"} or {@code "stale-if-error"}. */
        public Builder detail(String detail) {
            this.detail = requireNonNull(detail, "detail");
            return this;
        }

        /**
         * The field member.
         *
         * @throws IllegalArgumentException when {@code hit} and {@code fwd} are both set, or a
         *     forward's parameter is set without {@code fwd}
         */
        public CacheStatusField build() {
            return new CacheStatusField(cache, hit, fwd, fwdStatus, ttl, stored, collapsed, detail);
        }
    }
}
