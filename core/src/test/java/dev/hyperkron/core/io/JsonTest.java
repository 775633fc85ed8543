package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesEveryKindOfValueIntoPlainJavaObjects() {
        Object value = Json.parse(" {\"s\": \"x\", \"i\": -12, \"d\": 2.5e-3, \"t\": true, \"f\": false, \"n\": null,"
                + " \"a\": [1, [], {}]} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("i", -12L);
        expected.put("d", 2.5e-3);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("a", List.of(1L, List.of(), Map.of()));
        assertEquals(expected, value);
    }

    @Test
    void objectsKeepInsertionOrder() {
        Map<String, Object> map = Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()));
    }

    @Test
    void integersBecomeLongsAndEverythingElseDoubles() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9223372036854775808.0, Json.parse("9223372036854775808"));
        assertEquals(1.0, Json.parse("1.0"));
        assertEquals(100.0, Json.parse("1e2"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(1.5E-300, Json.parse("15E-301"));
    }

    @Test
    void decodesAllEscapesIncludingSurrogatePairs() {
        assertEquals("\" \\ / \b \f \n \r \t é 😀", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\ude00\""));
        assertEquals("raw é 😀", Json.parse("\"raw é 😀\""));
    }

    @Test
    void writesCompactTextWithEscapes() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k\"ey", Arrays.asList("a\\b\n\u0001", 1, 2.5, -0.0f, null, true));
        map.put("empty", Map.of());
        assertEquals("{\"k\\\"ey\":[\"a\\\\b\\n\\u0001\",1,2.5,-0.0,null,true],\"empty\":{}}", Json.write(map));
    }

    @Test
    void writesIndentedTextForPeople() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1L, 2L));
        map.put("b", Map.of());
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", Json.writeIndented(map));
    }

    @Test
    void errorsNameLineColumnAndOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertEquals(18, e.offset());
        assertEquals("expected ':' after object key \"b\" but found '2' at line 3, column 7 (offset 18)", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                 | 0 | expected a JSON value but found end of input",
        "'  '               | 2 | expected a JSON value but found end of input",
        "{\"a\":1,}         | 7 | expected a string key in object but found '}'",
        "[1,]               | 3 | expected a JSON value but found ']'",
        "[1 2]              | 3 | expected ',' or ']' after array element but found '2'",
        "{\"a\" 1}          | 5 | expected ':' after object key",
        "{a:1}              | 1 | expected a string key in object but found 'a'",
        "{\"a\":1,\"a\":2}  | 7 | duplicate key \"a\" in object",
        "01                 | 0 | leading zeros are not allowed",
        "1.                 | 2 | expected a digit after the decimal point but found end of input",
        ".5                 | 0 | expected a JSON value but found '.'",
        "+1                 | 0 | expected a JSON value but found '+'",
        "-                  | 1 | expected a digit after '-' but found end of input",
        "1e                 | 2 | expected a digit in the exponent",
        "1e999              | 0 | beyond the double range",
        "NaN                | 0 | expected a JSON value but found 'NaN'",
        "tru                | 0 | expected 'true' but found 'tru'",
        "nulL               | 0 | expected 'null' but found 'nulL'",
        "'\"abc'            | 4 | expected '\"' to close the string starting at offset 0 but found end of input",
        "'\"a\\x\"'         | 2 | invalid escape '\\x' in string",
        "'\"\\u12G4\"'      | 5 | expected 4 hex digits after '\\u' but found 'G4'",
        "'\"\\ud800\"'      | 1 | unpaired high surrogate \\uD800",
        "'\"\\ud800\\u0041\"' | 1 | unpaired high surrogate \\uD800 followed by \\u0041",
        "'\"\\udc00\"'      | 1 | unpaired low surrogate \\uDC00",
        "{} x               | 3 | expected end of input after the JSON value but found 'x'",
        "'[\"a\"] [1]'      | 6 | expected end of input after the JSON value but found '['",
    })
    void rejectsMalformedInputAtTheRightPlace(String text, int offset, String problem) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersAndUnpairedRawSurrogatesInStrings() {
        JsonException control = assertThrows(JsonException.class, () -> Json.parse("\"a\nb\""));
        assertTrue(control.getMessage().contains("unescaped control character U+000A"), control.getMessage());
        JsonException surrogate = assertThrows(JsonException.class, () -> Json.parse("\"a\uD800b\""));
        assertTrue(surrogate.getMessage().contains("unpaired surrogate U+D800"), surrogate.getMessage());
    }

    @Test
    void rejectsNestingBeyondTheLimitWithoutOverflowingTheStack() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertEquals(Json.MAX_DEPTH, e.offset());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void parseObjectRejectsOtherTopLevelValues() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected a JSON object at the top level but found an array"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void writerRejectsNonFiniteNumbersNamingThePath(double d) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("layers", List.of(1, d))));
        assertTrue(e.getMessage().contains("$.layers[1]"), e.getMessage());
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "non-string key")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write("unpaired \uDC00"));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void nullParsesToNull() {
        assertNull(Json.parse("null"));
    }
}
