package dev.hyperkron.bilevel.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a JSON object of a checkpoint: a missing or mistyped entry is an IOException
 * naming the file and the entry's path, never a NullPointerException or ClassCastException.
 */
final class CheckpointEntries {
    private final Path file;
    private final String path;
    private final Map<?, ?> values;

    CheckpointEntries(Path file, String path, Map<?, ?> values) {
        this.file = file;
        this.path = path;
        this.values = values;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    long integer(String key) throws IOException {
        return typed(key, Long.class, "an integer");
    }

    double number(String key) throws IOException {
        return typed(key, Number.class, "a number").doubleValue();
    }

    String string(String key) throws IOException {
        return typed(key, String.class, "a string");
    }

    List<?> list(String key) throws IOException {
        return typed(key, List.class, "a list");
    }

    CheckpointEntries object(String key) throws IOException {
        return new CheckpointEntries(file, name(key), typed(key, Map.class, "an object"));
    }

    /** Element {@code i} of the list {@code key}, which must be an object. */
    CheckpointEntries object(String key, List<?> list, int i) throws IOException {
        Object v = list.get(i);
        if (!(v instanceof Map<?, ?> m)) {
            throw mistyped(name(key) + "[" + i + "]", "an object", v);
        }
        return new CheckpointEntries(file, name(key) + "[" + i + "]", m);
    }

    /** Every value of this object, which must all be numbers. */
    Map<String, Double> numbers() throws IOException {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : values.entrySet()) {
            if (!(e.getValue() instanceof Number n)) {
                throw mistyped(name(String.valueOf(e.getKey())), "a number", e.getValue());
            }
            out.put(String.valueOf(e.getKey()), n.doubleValue());
        }
        return out;
    }

    /** Every value of this object, which must all be strings. */
    Map<String, String> strings() throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : values.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw mistyped(name(String.valueOf(e.getKey())), "a string", e.getValue());
            }
            out.put(String.valueOf(e.getKey()), s);
        }
        return out;
    }

    /** Element {@code i} of a list read from entry {@code key}, which must have the given type. */
    <T> T element(String key, List<?> list, int i, Class<T> type, String description) throws IOException {
        Object v = list.get(i);
        if (!type.isInstance(v)) {
            throw mistyped(name(key) + "[" + i + "]", description, v);
        }
        return type.cast(v);
    }

    private <T> T typed(String key, Class<T> type, String description) throws IOException {
        if (!values.containsKey(key)) {
            throw new IOException(file + ": the checkpoint has no entry '" + name(key) + "' (damaged, or not written by "
                    + "this version of Hyperkron)");
        }
        Object v = values.get(key);
        if (!type.isInstance(v)) {
            throw mistyped(name(key), description, v);
        }
        return type.cast(v);
    }

    private IOException mistyped(String name, String expected, Object found) {
        String what = found == null ? "null" : found instanceof Map ? "an object" : found instanceof List ? "a list"
                : found instanceof String ? "a string" : found instanceof Number ? "the number " + found
                : String.valueOf(found);
        return new IOException(file + ": checkpoint entry '" + name + "' should be " + expected + ", found " + what);
    }

    private String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
