package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.pipeline.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads report JSON in tests so that a missing field fails the test instead of reading as 0, false or "" (what
 * {@code JsonNode.path(..).asLong()} would return).
 */
public final class StrictJson {
    /** Reads into typed records: a missing, unknown or (for primitives) null field is an error. */
    public static final ObjectMapper MAPPER = Json.strictMapper();

    private StrictJson() {
    }

    public static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }

    /** The node at {@code path}; fails when a step is missing or JSON null. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        StringBuilder where = new StringBuilder();
        for (String key : path) {
            where.append('.').append(key);
            if (n == null || !n.isObject() || !n.has(key)) {
                fail("missing field " + where + " in " + abbreviate(node));
            }
            n = n.get(key);
            if (n.isNull()) {
                fail("field " + where + " is null in " + abbreviate(node));
            }
        }
        return n;
    }

    public static long longAt(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        assertTrue(n.isIntegralNumber(), String.join(".", path) + " is not an integer: " + n);
        return n.asLong();
    }

    public static double doubleAt(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        assertTrue(n.isNumber(), String.join(".", path) + " is not a number: " + n);
        return n.asDouble();
    }

    public static boolean boolAt(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        assertTrue(n.isBoolean(), String.join(".", path) + " is not a boolean: " + n);
        return n.asBoolean();
    }

    public static String textAt(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        assertTrue(n.isTextual(), String.join(".", path) + " is not a string: " + n);
        return n.asText();
    }

    /** An array of exactly {@code size} elements. */
    public static JsonNode arrayAt(JsonNode node, int size, String... path) {
        JsonNode n = at(node, path);
        assertTrue(n.isArray() && n.size() == size, String.join(".", path) + " is not an array of " + size + ": "
                + n);
        return n;
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
