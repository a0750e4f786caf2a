package dev.strata.origin;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 §5.6.7): sent as IMF-fixdate, read in all three formats a recipient must
 * accept (IMF-fixdate, obsolete RFC 850 and ANSI C asctime). Thread-safe.
 */
final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    /**
     * RFC 850 dates have two-digit years; they are read in the fixed window 1970..2069, close to RFC
     * 9110's sliding rule (no more than 50 years in the future) for any date a client sends today.
     */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private static final List<DateTimeFormatter> PARSERS = List.of(IMF_FIXDATE, RFC_850, ASCTIME);

    private HttpDates() {}

    /** Formats {@code instant}, truncated to whole seconds, as an IMF-fixdate. */
    static String format(Instant instant) {
        return IMF_FIXDATE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Parses an HTTP-date; empty when {@code text} is not one (recipients then ignore the field). */
    static Optional<Instant> parse(String text) {
        String trimmed = text.trim();
        for (DateTimeFormatter parser : PARSERS) {
            try {
                return Optional.of(LocalDateTime.parse(trimmed, parser).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return Optional.empty();
    }

    /** {@code instant} at the one-second resolution of an HTTP-date. */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
