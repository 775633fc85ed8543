package dev.hyperkron.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser behind {@link Json#parse}: one instance per document. */
final class JsonParser {
    private final String text;
    private int pos;
    private int depth;

    JsonParser(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Json.parse: text is null");
        }
        this.text = text;
    }

    Object parseDocument() {
        skipWhitespace();
        Object value = parseValue();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("expected end of input after the JSON value but found " + found(), pos);
        }
        return value;
    }

    JsonException errorAtStart(String problem) {
        return error(problem, 0);
    }

    private Object parseValue() {
        if (pos >= text.length()) {
            throw error("expected a JSON value but found end of input", pos);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return parseObject();
            case '[':
                return parseArray();
            case '"':
                return parseString();
            case 't':
                return parseLiteral("true", Boolean.TRUE);
            case 'f':
                return parseLiteral("false", Boolean.FALSE);
            case 'n':
                return parseLiteral("null", null);
            default:
                if (c == '-' || isDigit(c)) {
                    return parseNumber();
                }
                throw error("expected a JSON value but found " + found(), pos);
        }
    }

    private Map<String, Object> parseObject() {
        enterContainer();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a string key in object but found " + found(), pos);
            }
            int keyStart = pos;
            String key = parseString();
            if (map.containsKey(key)) {
                throw error("duplicate key " + JsonWriter.quote(key) + " in object", keyStart);
            }
            skipWhitespace();
            expect(':', "after object key " + JsonWriter.quote(key));
            skipWhitespace();
            map.put(key, parseValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
            } else if (c == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("expected ',' or '}' after object member but found " + found(), pos);
            }
        }
    }

    private List<Object> parseArray() {
        enterContainer();
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            list.add(parseValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
            } else if (c == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("expected ',' or ']' after array element but found " + found(), pos);
            }
        }
    }

    private void enterContainer() {
        if (++depth > Json.MAX_DEPTH) {
            throw error("nesting deeper than " + Json.MAX_DEPTH + " levels", pos);
        }
    }

    private String parseString() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int runStart = pos;
            while (pos < text.length() && isPlainStringChar(text.charAt(pos))) {
                pos++;
            }
            sb.append(text, runStart, pos);
            if (pos >= text.length()) {
                throw error("expected '\"' to close the string starting at offset " + start + " but found end of input", pos);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                appendEscape(sb);
            } else if (Character.isSurrogate(c)) {
                appendRawSurrogatePair(sb, c);
            } else {
                throw error("unescaped control character " + codeUnit(c) + " in string", pos);
            }
        }
    }

    private static boolean isPlainStringChar(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
    }

    private void appendRawSurrogatePair(StringBuilder sb, char high) {
        if (Character.isHighSurrogate(high) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
            sb.append(high).append(text.charAt(pos + 1));
            pos += 2;
            return;
        }
        throw error("unpaired surrogate " + codeUnit(high) + " in string", pos);
    }

    private void appendEscape(StringBuilder sb) {
        int escapeStart = pos;
        pos++;
        if (pos >= text.length()) {
            throw error("expected an escape character after '\\' but found end of input", pos);
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> appendUnicodeEscape(sb, escapeStart);
            default -> throw error("invalid escape '\\" + c + "' in string (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                    escapeStart);
        }
    }

    private void appendUnicodeEscape(StringBuilder sb, int escapeStart) {
        char unit = readHex4();
        if (Character.isLowSurrogate(unit)) {
            throw error("unpaired low surrogate \\u" + hex(unit) + " in string", escapeStart);
        }
        if (Character.isHighSurrogate(unit)) {
            if (!text.startsWith("\\u", pos)) {
                throw error("unpaired high surrogate \\u" + hex(unit)
                        + " in string (expected an escaped low surrogate \\uDC00-\\uDFFF next)", escapeStart);
            }
            pos += 2;
            char low = readHex4();
            if (!Character.isLowSurrogate(low)) {
                throw error("unpaired high surrogate \\u" + hex(unit) + " followed by \\u" + hex(low)
                        + " in string (expected an escaped low surrogate \\uDC00-\\uDFFF)", escapeStart);
            }
            sb.append(unit).append(low);
            return;
        }
        sb.append(unit);
    }

    private char readHex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
            if (digit < 0) {
                throw error("expected 4 hex digits after '\\u' but found " + found(), pos);
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Object parseNumber() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zeros are not allowed in numbers", start);
            }
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw error("expected a digit after '-' but found " + found(), pos);
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            requireDigits("after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits("in the exponent");
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException beyondLongRange) {
                // Falls through: integers beyond the long range become doubles.
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw error("number " + literal + " is beyond the double range", start);
        }
        return value;
    }

    private void requireDigits(String where) {
        if (!isDigit(peek())) {
            throw error("expected a digit " + where + " but found " + found(), pos);
        }
        skipDigits();
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object parseLiteral(String literal, Object value) {
        if (!text.startsWith(literal, pos)) {
            throw error("expected '" + literal + "' but found " + found(), pos);
        }
        pos += literal.length();
        return value;
    }

    private void expect(char c, String where) {
        if (peek() != c) {
            throw error("expected '" + c + "' " + where + " but found " + found(), pos);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current char, or NUL at the end (NUL never starts a valid token, so it reads as a mismatch). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** What stands at the current position, for "expected X but found Y" messages. */
    private String found() {
        if (pos >= text.length()) {
            return "end of input";
        }
        char c = text.charAt(pos);
        if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
            return codeUnit(c);
        }
        int end = Math.min(text.length(), pos + 8);
        int stop = pos + 1;
        while (stop < end && Character.isLetterOrDigit(text.charAt(stop))) {
            stop++;
        }
        return "'" + text.substring(pos, Character.isLetterOrDigit(c) ? stop : pos + 1) + "'";
    }

    private static String codeUnit(char c) {
        return "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private JsonException error(String problem, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonException(problem, offset, line, offset - lineStart + 1);
    }
}
