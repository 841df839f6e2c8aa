package io.parley.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one shared, configured Jackson mapper: strict on input (duplicate keys, trailing tokens, bounded sizes), plain
 * on output. Fractions and exponents are read as BigDecimal, so a value a double cannot hold (1e400, 1e-400) reaches
 * {@link Jcs} as written and is refused there, instead of silently becoming infinity or zero.
 */
public final class Json {
    /** Thread-safe once configured; never reconfigure it after class initialisation. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /**
     * Limits on what any parser of ours reads, so hostile input costs bounded memory and time: nesting (recursive
     * walks of the tree, JCS included), string length (the largest legitimate string is inside a 10 MiB evidence
     * bundle), number length (a double or an exact integer needs at most a few dozen digits; a million-digit
     * number is only a CPU sink) and name length.
     */
    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(200)
            .maxStringLength(11 * 1024 * 1024)
            .maxNumberLength(400)
            .maxNameLength(4096)
            .build(); // no document limit here: what is read is bounded where it is read (request bodies, peer answers)

    static {
        MAPPER.getFactory().setStreamReadConstraints(CONSTRAINTS);
    }

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses one JSON document; throws {@link MalformedJsonException} for anything else. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new MalformedJsonException("not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // a float token BigDecimal cannot hold (exponent beyond an int) escapes Jackson unwrapped; see Jcs.parse
            throw new MalformedJsonException("not valid JSON: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new MalformedJsonException("not valid JSON: " + e.getMessage());
        }
    }

    /** Parses one JSON document from UTF-8 bytes; throws {@link MalformedJsonException} for anything else. */
    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new MalformedJsonException("not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // a float token BigDecimal cannot hold (exponent beyond an int) escapes Jackson unwrapped; see Jcs.parse
            throw new MalformedJsonException("not valid JSON: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new MalformedJsonException("not valid JSON: " + e.getMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
