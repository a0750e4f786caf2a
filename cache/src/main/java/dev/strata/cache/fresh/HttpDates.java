package dev.strata.cache.fresh;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * HTTP-date parsing and formatting (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and
 * asctime forms a recipient must accept.
 *
 * <p>Day and month names are English whatever the default locale: the formatters use {@code
 * Locale.US}, because {@code Locale.US} has no full day names ({@code EEEE} reads "Sun", not
 * "Sunday") and so could not parse RFC 850 dates.
 */
public final class HttpDates {
    private static final String IMF_FIXDATE_PATTERN = "EEE, dd MMM yyyy HH:mm:ss 'GMT'";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern(IMF_FIXDATE_PATTERN, Locale.US).withZone(ZoneOffset.UTC);

    /**
     * The forms a recipient accepts, names and "GMT" in any letter case (RFC 9111 §4.2: a cache
     * SHOULD match dates case-insensitively); two-digit RFC 850 years read as 1970 to 2069.
     */
    private static final DateTimeFormatter[] PARSERS = {
        parser(new DateTimeFormatterBuilder().appendPattern(IMF_FIXDATE_PATTERN)),
        parser(new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                .appendPattern(" HH:mm:ss 'GMT'")),
        parser(new DateTimeFormatterBuilder().appendPattern("EEE MMM ppd HH:mm:ss yyyy"))
    };

    private static DateTimeFormatter parser(DateTimeFormatterBuilder pattern) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(pattern.toFormatter(Locale.US))
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
    }

    private HttpDates() {}

    /** Epoch milliseconds of an HTTP-date; empty when the text is not one. */
    public static OptionalLong parse(String text) {
        String trimmed = text.trim();
        for (DateTimeFormatter format : PARSERS) {
            try {
                return OptionalLong.of(
                        ZonedDateTime.parse(trimmed, format).toInstant().toEpochMilli());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return OptionalLong.empty();
    }

    /** The IMF-fixdate form of epoch milliseconds: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }
}
