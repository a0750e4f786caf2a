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
        node.put("id", entry.id());
        node.put("time", Instant.ofEpochMilli(entry.timeMillis()).toString());
        node.put("timeMillis", entry.timeMillis());
        node.put("by", entry.by());
        if (!entry.idempotencyKey().isEmpty()) {
            node.put("idempotencyKey", entry.idempotencyKey());
        }
        node.put("kind", entry.request().kind().field());
        ArrayNode targets = node.putArray("targets");
        entry.request().targets().forEach(targets::add);
        node.put("soft", entry.request().soft());
        ArrayNode sites = node.putArray("sites");
        entry.request().sites().forEach(sites::add);
        return node;
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
