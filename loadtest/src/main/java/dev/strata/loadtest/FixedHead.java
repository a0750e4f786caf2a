package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header fields a {@link TestOrigin} sends on every answer instead of its own, so that the bare
 * ceiling of {@code compare.sh} can send the same head as a Strata hit: what a bare server costs
 * with that head is the most our stack can do for that response.
 *
 * <p>Read from lines as {@code curl -sI} prints a response: a status line and blank lines are
 * skipped; {@code Date}, {@code Connection} and {@code Content-Length} are skipped too, since
 * Undertow writes its own.
 *
 * @param fields the fields in order, each name and value as given
 */
public record FixedHead(List<Field> fields) {
    /** One header field. */
    public record Field(String name, String value) {
        public Field {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }

    private static final Set<String> UNDERTOWS_OWN = Set.of("date", "connection", "content-length");

    public FixedHead {
        fields = List.copyOf(fields);
    }

    /** The fields of {@code file} (see the class comment). */
    public static FixedHead read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new LoadtestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The fields of {@code lines}; {@code source} names them in errors. */
    static FixedHead parse(List<String> lines, String source) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.startsWith("HTTP/"))) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new LoadtestException(
                        source + ":" + (i + 1) + ": \"" + line + "\" (expected: a header field, Name: value)");
            }
            if (!UNDERTOWS_OWN.contains(name.toLowerCase(Locale.ROOT))) {
                fields.add(new Field(name, line.substring(colon + 1).strip()));
            }
        }
        if (fields.isEmpty()) {
            throw new LoadtestException(source + ": no header fields");
        }
        return new FixedHead(fields);
    }
}
