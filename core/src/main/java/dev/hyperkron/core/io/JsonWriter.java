package dev.hyperkron.core.io;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Serializer behind {@link Json#write}: compact, or indented for files people read. */
final class JsonWriter {
    private final boolean indented;
    private final StringBuilder out = new StringBuilder();

    JsonWriter(boolean indented) {
        this.indented = indented;
    }

    String write(Object value) {
        writeValue(value, "$", 0);
        return out.toString();
    }

    private void writeValue(Object value, String path, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, path);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Double d) {
            requireFinite(d, path);
            out.append(d.doubleValue());
        } else if (value instanceof Float f) {
            requireFinite(f, path);
            out.append(f.floatValue());
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, path, depth + 1);
        } else if (value instanceof List<?> list) {
            writeArray(list, path, depth + 1);
        } else {
            throw new IllegalArgumentException("Json.write: cannot write " + describe(value) + " at " + path
                    + " (expected Map, List, String, Long, Integer, Short, Byte, Double, Float, Boolean or null)");
        }
    }

    private void writeObject(Map<?, ?> map, String path, int depth) {
        checkDepth(path, depth);
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("Json.write: object keys must be strings but " + path + " has key "
                        + describe(e.getKey()));
            }
            String memberPath = path + "." + key;
            newline(depth);
            writeString(key, memberPath);
            out.append(indented ? ": " : ":");
            writeValue(e.getValue(), memberPath, depth);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newline(depth - 1);
        out.append('}');
    }

    private void writeArray(List<?> list, String path, int depth) {
        checkDepth(path, depth);
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            newline(depth);
            writeValue(list.get(i), path + "[" + i + "]", depth);
            if (i + 1 < list.size()) {
                out.append(',');
            }
        }
        newline(depth - 1);
        out.append(']');
    }

    private static void checkDepth(String path, int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw new IllegalArgumentException("Json.write: nesting deeper than " + Json.MAX_DEPTH
                    + " levels at " + path.substring(0, Math.min(path.length(), 200)) + "... (a cycle?)");
        }
    }

    private void newline(int depth) {
        if (indented) {
            out.append('\n');
            out.append("  ".repeat(depth));
        }
    }

    private static void requireFinite(double d, String path) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("Json.write: JSON has no representation for " + d + " at " + path);
        }
    }

    private void writeString(String s, String path) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException(String.format(
                                "Json.write: unpaired surrogate U+%04X at index %d of the string at %s", (int) c, i, path));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The string as a JSON literal, for error messages that quote keys. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder().append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** "a List", "the String \"x\"", "null": what a value is, for error messages. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String s) {
            return "the string " + quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        } else if (value instanceof Map) {
            return "an object";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof Number || value instanceof Boolean) {
            return value.getClass().getSimpleName() + " " + value;
        }
        return "a " + value.getClass().getName();
    }
}
