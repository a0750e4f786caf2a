package dev.strata.proxy.waf;

import java.util.Arrays;

/**
 * The values of one target of the request being judged, percent-decoded, each with the set of ASCII
 * characters it holds (two 64-bit masks). One pass over a value as sent notes its characters: that
 * says whether it needs decoding at all (a {@code %}, or a {@code +} in a query) and whether it
 * holds a NUL, and, for the common value that needs none, is the value's mask. A {@link
 * Requirement} then tells in a few instructions whether a rule can match the value. One per target
 * per thread, reused from request to request; not thread-safe.
 */
final class Inputs {
    private static final long PERCENT = 1L << '%';
    private static final long PLUS = 1L << '+';
    private static final long NUL = 1L;

    private String[] values = new String[4];
    private long[] low = new long[4];
    private long[] high = new long[4];
    private int size;
    private boolean nul;
    /** What {@link #mask} found last. */
    private long maskLow;

    private long maskHigh;

    void clear() {
        Arrays.fill(values, 0, size, null); // let go of the last request's strings
        size = 0;
        nul = false;
    }

    /**
     * Adds a value as sent, decoded with {@code decoder} when it holds escapes.
     *
     * @param plusIsSpace whether {@code +} stands for a space (a query)
     */
    void add(String sent, boolean plusIsSpace, PercentDecoder decoder) {
        mask(sent);
        nul |= (maskLow & NUL) != 0;
        String value = sent;
        if ((maskLow & PERCENT) != 0 || (plusIsSpace && (maskLow & PLUS) != 0)) {
            value = decoder.decode(sent, plusIsSpace);
            mask(value);
        }
        append(value);
    }

    /** Adds a value decoded already (the path and the query, decoded for the protocol checks). */
    void addDecoded(String value) {
        mask(value);
        append(value);
    }

    private void append(String value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            low = Arrays.copyOf(low, size * 2);
            high = Arrays.copyOf(high, size * 2);
        }
        values[size] = value;
        low[size] = maskLow;
        high[size] = maskHigh;
        size++;
    }

    int size() {
        return size;
    }

    String get(int index) {
        return values[index];
    }

    /** Whether a value held a NUL byte as sent. */
    boolean holdsNul() {
        return nul;
    }

    /** Whether value {@code index} holds a character of the set with masks {@code setLow}, {@code setHigh}. */
    boolean holdsOne(int index, long setLow, long setHigh) {
        return (low[index] & setLow) != 0 || (high[index] & setHigh) != 0;
    }

    /** Notes the ASCII characters of {@code value}, one bit each, in {@link #maskLow} and {@link #maskHigh}. */
    private void mask(String value) {
        long l = 0;
        long h = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            long bit = 1L << c; // the shift takes c modulo 64
            if (c < 64) {
                l |= bit;
            } else if (c < 128) {
                h |= bit;
            }
        }
        maskLow = l;
        maskHigh = h;
    }

    /** The masks of a set of ASCII characters: {@code [low, high]}. */
    static long[] maskOf(String characters) {
        long l = 0;
        long h = 0;
        for (int i = 0; i < characters.length(); i++) {
            char c = characters.charAt(i);
            if (c < 64) {
                l |= 1L << c;
            } else if (c < 128) {
                h |= 1L << (c - 64);
            } else {
                throw new IllegalArgumentException("not ASCII: " + characters);
            }
        }
        return new long[] {l, h};
    }
}
