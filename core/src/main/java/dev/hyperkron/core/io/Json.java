package dev.hyperkron.core.io;

import java.util.Map;

/**
 * A small strict JSON reader and writer for file headers and run metadata, so core needs no
 * JSON library. Values are plain Java objects: {@code Map<String, Object>} (insertion
 * ordered), {@code List<Object>}, {@code String}, {@code Long} (integers without fraction or
 * exponent that fit a long), {@code Double} (every other number), {@code Boolean} and
 * {@code null}.
 *
 * <p>Parsing follows RFC 8259 without extensions and also rejects what cannot be represented
 * faithfully: duplicate object keys, unpaired surrogates, numbers beyond the double range,
 * and nesting deeper than {@value #MAX_DEPTH} levels. Errors are {@link JsonException}s
 * naming the line, column and offset.
 */
public final class Json {
    /** Deepest nesting of objects and arrays accepted, so hostile input cannot exhaust the stack. */
    public static final int MAX_DEPTH = 512;

    private Json() {
    }

    /** Parses one JSON value; anything but whitespace after it is an error. */
    public static Object parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** Parses a JSON document whose top-level value must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        JsonParser parser = new JsonParser(text);
        Object value = parser.parseDocument();
        if (!(value instanceof Map)) {
            throw parser.errorAtStart("expected a JSON object at the top level but found " + JsonWriter.describe(value));
        }
        return (Map<String, Object>) value;
    }

    /**
     * Compact JSON text for a value tree. Accepts what {@link #parse} returns plus Integer,
     * Short, Byte and Float numbers; rejects non-finite numbers, non-String map keys, unpaired
     * surrogates, other types and over-deep (cyclic) trees with an IllegalArgumentException
     * naming the path, such as {@code $.layers[2].name}.
     */
    public static String write(Object value) {
        return new JsonWriter(false).write(value);
    }

    /** Like {@link #write} but one member per line, indented by two spaces per level, for files people read. */
    public static String writeIndented(Object value) {
        return new JsonWriter(true).write(value);
    }
}
