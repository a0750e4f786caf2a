package dev.strata.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {
    private static final long NOON = Instant.parse("2026-11-23T12:00:00.042Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AccessLogFormat COMBINED = AccessLogFormat.of("combined", ZoneOffset.UTC);
    private static final AccessLogFormat JSON_LINES = AccessLogFormat.of("json", ZoneOffset.UTC);

    private static AccessLogEntry entry(
            String path, String query, @Nullable String referer, @Nullable String userAgent, long upstreamNanos) {
        return new AccessLogEntry(
                NOON,
                "192.0.2.7",
                "GET",
                path,
                query,
                "HTTP/1.1",
                200,
                1234,
                1480,
                referer,
                userAgent,
                "MISS",
                upstreamNanos,
                15_400_000,
                "ams",
                "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void combinedIsNginxCombinedThenStrataFields() {
        String line = COMBINED.format(entry("/css/site.css", "v=2", "https://example.com/", "curl/8.5", 12_345_678));

        assertThat(line)
                .isEqualTo("192.0.2.7 - - [23/Nov/2026:12:00:00 +0000] \"GET /css/site.css?v=2 HTTP/1.1\" 200 1234"
                        + " \"https://example.com/\" \"curl/8.5\" MISS 0.012 1480 ams 4bf92f3577b34da6a3ce929d0e0e4736"
                        + " 0.015");
        assertThat(CombinedLines.PATTERN.matcher(line).matches()).isTrue();
    }

    @Test
    void combinedWritesADashForWhatIsAbsent() {
        String line = COMBINED.format(entry("/", "", null, "", -1));

        assertThat(line).contains("\"GET / HTTP/1.1\" 200 1234 \"-\" \"-\" MISS - 1480 ");
    }

    @Test
    void combinedEscapesQuotesControlCharactersAndNonAscii() {
        String line = COMBINED.format(entry("/a\"b", "q=\r\n", "x\\y", "agent \"evil\"\u0000é€", -1));

        assertThat(line)
                .contains("\"GET /a\\x22b?q=\\x0d\\x0a HTTP/1.1\"")
                .contains("\"x\\x5cy\" \"agent \\x22evil\\x22\\x00\\xe9\\xe2\\x82\\xac\"");
        assertThat(CombinedLines.PATTERN.matcher(line).matches()).isTrue();
    }

    @Test
    void jsonHasTheSameFieldsWithClearNames() throws Exception {
        String line = JSON_LINES.format(entry("/css/site.css", "v=2", null, "curl/8.5", 12_345_678));

        JsonNode json = JSON.readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2026-11-23T12:00:00.042Z");
        assertThat(json.get("client").asText()).isEqualTo("192.0.2.7");
        assertThat(json.get("method").asText()).isEqualTo("GET");
        assertThat(json.get("uri").asText()).isEqualTo("/css/site.css?v=2");
        assertThat(json.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("body_bytes").asLong()).isEqualTo(1234);
        assertThat(json.get("referer").isNull()).isTrue();
        assertThat(json.get("user_agent").asText()).isEqualTo("curl/8.5");
        assertThat(json.get("cache").asText()).isEqualTo("MISS");
        assertThat(json.get("upstream_seconds").decimalValue()).isEqualByComparingTo("0.012");
        assertThat(json.get("bytes_sent").asLong()).isEqualTo(1480);
        assertThat(json.get("node").asText()).isEqualTo("ams");
        assertThat(json.get("request_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.get("total_seconds").decimalValue()).isEqualByComparingTo("0.015");
        assertThat(json.size()).isEqualTo(15);
    }

    @Test
    void jsonWithoutAnUpstreamSaysNull() throws Exception {
        JsonNode json = JSON.readTree(JSON_LINES.format(entry("/", "", null, null, -1)));

        assertThat(json.get("upstream_seconds").isNull()).isTrue();
        assertThat(json.get("user_agent").isNull()).isTrue();
    }

    @Test
    void eachLineHasItsOwnTime() throws Exception {
        AccessLogFormat json = AccessLogFormat.of("json", ZoneOffset.ofHours(1));
        AccessLogFormat combined = AccessLogFormat.of("combined", ZoneOffset.ofHours(1));
        long[] times = {NOON, NOON + 7, NOON + 1000, NOON - 43};

        List<String> jsonTimes = new ArrayList<>();
        List<String> combinedTimes = new ArrayList<>();
        for (long time : times) {
            jsonTimes.add(JSON.readTree(json.format(at(time))).get("time").asText());
            String line = combined.format(at(time));
            combinedTimes.add(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
        }

        assertThat(jsonTimes)
                .containsExactly(
                        "2026-11-23T13:00:00.042+01:00",
                        "2026-11-23T13:00:00.049+01:00",
                        "2026-11-23T13:00:01.042+01:00",
                        "2026-11-23T12:59:59.999+01:00");
        assertThat(combinedTimes)
                .containsExactly(
                        "23/Nov/2026:13:00:00 +0100",
                        "23/Nov/2026:13:00:00 +0100",
                        "23/Nov/2026:13:00:01 +0100",
                        "23/Nov/2026:12:59:59 +0100");
    }

    private static AccessLogEntry at(long timeMillis) {
        AccessLogEntry e = entry("/", "", null, null, -1);
        return new AccessLogEntry(
                timeMillis,
                e.client(),
                e.method(),
                e.path(),
                e.query(),
                e.protocol(),
                e.status(),
                e.bodyBytes(),
                e.bytesSent(),
                e.referer(),
                e.userAgent(),
                e.cache(),
                e.upstreamNanos(),
                e.totalNanos(),
                e.node(),
                e.requestId());
    }

    @Test
    void secondsAreRoundedToTheMillisecond() {
        assertThat(seconds(0)).isEqualTo("0.000");
        assertThat(seconds(499_999)).isEqualTo("0.000");
        assertThat(seconds(500_000)).isEqualTo("0.001");
        assertThat(seconds(1_234_567_890)).isEqualTo("1.235");
        assertThat(seconds(61_000_000_000L)).isEqualTo("61.000");
    }

    private static String seconds(long nanos) {
        StringBuilder out = new StringBuilder();
        AccessLogFormat.seconds(nanos, out);
        return out.toString();
    }

    @Property(tries = 2000)
    void noRequestCanBreakOrForgeACombinedLine(
            @ForAll("latin1") String target, @ForAll("latin1") String referer, @ForAll("latin1") String agent) {
        String path = "/" + target;
        String line = COMBINED.format(entry(path, "", referer, agent, 1_000_000));

        assertThat(line).matches("[\\x20-\\x7e]*");
        Matcher fields = CombinedLines.PATTERN.matcher(line);
        assertThat(fields.matches()).as(line).isTrue();
        assertThat(unescape(fields.group(4))).isEqualTo(path);
        assertThat(unescape(fields.group(8))).isEqualTo(referer.isEmpty() ? "-" : referer);
        assertThat(unescape(fields.group(9))).isEqualTo(agent.isEmpty() ? "-" : agent);
        assertThat(fields.group(14)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Property(tries = 2000)
    void anyTextSurvivesAJsonLine(@ForAll("unicode") String path, @ForAll("unicode") String agent) throws Exception {
        String line = JSON_LINES.format(entry(path, "", null, agent, -1));

        assertThat(line).matches("[\\x20-\\x7e]*");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("uri").asText()).isEqualTo(path);
        assertThat(json.get("user_agent").asText()).isEqualTo(agent);
    }

    @Property(tries = 500)
    void beyondLatin1CombinedWritesTheUtf8Bytes(@ForAll("unicode") String agent) {
        String line = COMBINED.format(entry("/", "", null, agent, -1));

        assertThat(line).matches("[\\x20-\\x7e]*");
        Matcher fields = CombinedLines.PATTERN.matcher(line);
        assertThat(fields.matches()).as(line).isTrue();
        if (!agent.isEmpty() && agent.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            assertThat(bytes(fields.group(9))).isEqualTo(written(agent));
        }
    }

    /** What {@code \xHH} escapes stand for when every character is a byte (ISO-8859-1), as Undertow reads requests. */
    private static String unescape(String escaped) {
        return new String(bytes(escaped), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                out.write(Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The bytes the combined format writes for {@code text}: Latin-1 characters as one byte, others as UTF-8. */
    private static byte[] written(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.codePoints().forEach(cp -> {
            byte[] bytes = cp <= 0xff
                    ? new byte[] {(byte) cp}
                    : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        });
        return out.toByteArray();
    }

    @Provide
    Arbitrary<String> latin1() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff')
                .withChars("\"\\ \r\n")
                .ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> unicode() {
        return Arbitraries.strings().all().ofMaxLength(30);
    }
}
