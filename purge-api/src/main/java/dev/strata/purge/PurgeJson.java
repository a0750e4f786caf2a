package dev.strata.purge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of log entries, shared by the log's storage, the API and the follower:
 *
 * <pre>{"seq":7,"id":"…","time":"2026-11-23T12:00:00Z","timeMillis":…,"by":"ops","kind":"urls",
 * "targets":["https://www.example.com/a.css"],"soft":false,"sites":["static"]}</pre>
 *
 * Stateless and thread-safe.
 */
public final class PurgeJson {
    /** Thread-safe once configured; shared by the module. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PurgeJson() {}

    /** A new, empty JSON object. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code entry} as a JSON object. */
    public static ObjectNode toJson(PurgeEntry entry) {
        ObjectNode node = object();
        node.put("seq", entry.seq());
        return putFields(node, entry.id(), entry.timeMillis(), entry.by(), entry.idempotencyKey(), entry.request());
    }

    /**
     * An entry's JSON without its sequence number, for a log that numbers entries as it stores them
     * ({@link JetStreamPurgeLog}: the stream's sequence is the entry's); read back with {@link
     * #fromJson(JsonNode, long)}.
     */
    static ObjectNode unsequenced(String id, long timeMillis, String by, String idempotencyKey, PurgeRequest request) {
        return putFields(object(), id, timeMillis, by, idempotencyKey, request);
    }

    private static ObjectNode putFields(
            ObjectNode node, String id, long timeMillis, String by, String idempotencyKey, PurgeRequest request) {
        node.put("id", id);
        node.put("time", Instant.ofEpochMilli(timeMillis).toString());
        node.put("timeMillis", timeMillis);
        node.put("by", by);
        if (!idempotencyKey.isEmpty()) {
            node.put("idempotencyKey", idempotencyKey);
        }
        node.put("kind", request.kind().field());
        ArrayNode targets = node.putArray("targets");
        request.targets().forEach(targets::add);
        node.put("soft", request.soft());
        ArrayNode sites = node.putArray("sites");
        request.sites().forEach(sites::add);
        return node;
    }

    /**
     * The entry with sequence number {@code seq} that a JSON object written by {@link #unsequenced}
     * (or {@link #toJson}, whose sequence number it replaces) holds. Sets {@code seq} in {@code
     * node}, which callers parse for this call alone.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    static PurgeEntry fromJson(JsonNode node, long seq) {
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("entry: " + node + " (expected: a JSON object)");
        }
        return fromJson(object.put("seq", seq));
    }

    /**
     * The entry a JSON object written by {@link #toJson} holds.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static PurgeEntry fromJson(JsonNode node) {
        PurgeRequest request = new PurgeRequest(
                PurgeRequest.Kind.valueOf(text(node, "kind").toUpperCase(Locale.ROOT)),
                texts(node, "targets"),
                node.path("soft").asBoolean(false),
                texts(node, "sites"));
        JsonNode seq = node.path("seq");
        JsonNode time = node.path("timeMillis");
        if (!seq.canConvertToLong() || !time.canConvertToLong()) {
            throw new IllegalArgumentException("entry: " + node + " (expected: numeric seq and timeMillis)");
        }
        return new PurgeEntry(
                seq.asLong(),
                text(node, "id"),
                time.asLong(),
                text(node, "by"),
                node.path("idempotencyKey").asText(""),
                request);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("entry." + field + ": " + value + " (expected: a string)");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String field) {
        JsonNode value = node.path(field);
        List<String> texts = new ArrayList<>();
        if (value.isMissingNode()) {
            return texts;
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("entry." + field + ": " + value + " (expected: a list)");
        }
        value.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** The UTF-8 bytes of {@code node}. */
    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Parses JSON bytes.
     *
     * @throws IllegalArgumentException when they are not JSON
     */
    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Parses JSON text (a resource read in the same process). */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
