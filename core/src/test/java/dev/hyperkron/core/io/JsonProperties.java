package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

class JsonProperties {

    @Property
    void writingThenParsingReturnsTheSameTree(@ForAll("trees") Object tree) {
        String text = Json.write(tree);
        Object parsed = Json.parse(text);
        assertEquals(tree, parsed);
        assertEquals(text, Json.write(parsed), "member order must survive the round trip");
    }

    @Property
    void indentedTextParsesToTheSameTree(@ForAll("trees") Object tree) {
        assertEquals(tree, Json.parse(Json.writeIndented(tree)));
    }

    @Property
    void everyProperPrefixOfAContainerIsRejectedAtOrBeforeTheCut(@ForAll("containers") Object tree,
                                                                  @ForAll @IntRange(min = 0, max = 10_000) int cutSeed) {
        String text = Json.write(tree);
        int cut = cutSeed % text.length();
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text.substring(0, cut)));
        assertTrue(e.offset() <= cut, e.getMessage());
        assertTrue(e.line() == 1 && e.column() == e.offset() + 1, e.getMessage());
    }

    @Property
    void doublesSurviveBitForBit(@ForAll double d) {
        if (Double.isFinite(d)) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) Json.parse(Json.write(d))));
        }
    }

    @Provide
    Arbitrary<Object> trees() {
        return tree(3);
    }

    @Provide
    Arbitrary<Object> containers() {
        return Arbitraries.oneOf(list(tree(2)), map(tree(2)));
    }

    private static Arbitrary<Object> tree(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                Arbitraries.longs(),
                Arbitraries.doubles(),
                Arbitraries.doubles().ofScale(2).between(-1e6, 1e6),
                RandomTensors.codePointStrings(0, 8));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> child = tree(depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(1, list(child)),
                Tuple.of(1, map(child)));
    }

    private static Arbitrary<Object> list(Arbitrary<Object> element) {
        return element.list().ofMaxSize(4).map(l -> (Object) l);
    }

    private static Arbitrary<Object> map(Arbitrary<Object> value) {
        return Arbitraries.maps(RandomTensors.codePointStrings(0, 6), value).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
    }
}
