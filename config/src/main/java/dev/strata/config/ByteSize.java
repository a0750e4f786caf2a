package dev.strata.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written in configuration as {@code 512MiB}, {@code 64KiB}, {@code 2GiB}, {@code
 * 10MB} or a plain number of bytes. Binary units (KiB, MiB, GiB, TiB) are powers of 1024; decimal
 * units (KB, MB, GB, TB) powers of 1000.
 */
public record ByteSize(long bytes) {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB|k|K|m|M|g|G)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }

    /** A size of {@code bytes} bytes (at least 0). */
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /** A size of {@code kib} times 1024 bytes. */
    public static ByteSize ofKibibytes(long kib) {
        return new ByteSize(Math.multiplyExact(kib, 1024L));
    }

    /** A size of {@code mib} times 1024^2 bytes. */
    public static ByteSize ofMebibytes(long mib) {
        return new ByteSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    /** A size of {@code gib} times 1024^3 bytes. */
    public static ByteSize ofGibibytes(long gib) {
        return new ByteSize(Math.multiplyExact(gib, 1024L * 1024 * 1024));
    }

    /**
     * Parses a size such as {@code 512MiB}.
     *
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static ByteSize parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException('"' + text + "\" is not a size (expected: e.g. 512MiB)");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException('"' + text + "\" is too large (expected: at most 8EiB)", e);
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long multiplier =
                switch (unit) {
                    case "B" -> 1L;
                    case "KiB", "k", "K" -> 1024L;
                    case "MiB", "m", "M" -> 1024L * 1024;
                    case "GiB", "g", "G" -> 1024L * 1024 * 1024;
                    case "TiB" -> 1024L * 1024 * 1024 * 1024;
                    case "KB" -> 1000L;
                    case "MB" -> 1000L * 1000;
                    case "GB" -> 1000L * 1000 * 1000;
                    case "TB" -> 1000L * 1000 * 1000 * 1000;
                    default -> throw new IllegalStateException("unit " + unit);
                };
        try {
            return new ByteSize(Math.multiplyExact(number, multiplier));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException('"' + text + "\" is too large (expected: at most 8EiB)", e);
        }
    }

    /** The shortest exact form: {@code 512MiB}, {@code 1000B}. */
    @Override
    public String toString() {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%d%s", value, units[unit]);
    }
}
