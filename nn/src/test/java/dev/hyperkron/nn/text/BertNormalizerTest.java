package dev.hyperkron.nn.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BertNormalizerTest {
    @Test
    void uncasedCleansPadsCjkStripsAccentsAndLowercasesPerCharacter() {
        BertNormalizer n = BertNormalizer.uncased();
        assertEquals("cafe naive", n.normalize("Café\u00a0Naïve"));
        assertEquals(" 中  文 x", n.normalize("中文x"));
        assertEquals("ab c", n.normalize("a\u200bb\u0000\ufffd\tc"), "format, NUL and U+FFFD dropped; tab becomes a space");
        assertEquals("σσ istanbul", n.normalize("ΣΣ İstanbul"), "no final-sigma rule; the dot of İ is an accent");
        assertEquals("\u1112\u1161\u11ab", n.normalize("\ud55c"), "a Hangul syllable decomposes into its jamo");
    }

    @Test
    void accentStrippingFollowsLowercaseUnlessSetExplicitly() {
        assertEquals("Café", new BertNormalizer(true, true, null, false).normalize("Café"));
        assertEquals("Cafe", new BertNormalizer(true, true, true, false).normalize("Café"));
        assertEquals("café", new BertNormalizer(true, true, false, true).normalize("CAFÉ"));
        assertEquals("a\u200bb", new BertNormalizer(false, false, false, false).normalize("a\u200bb"));
    }

    @Test
    void characterClassesAreHuggingFacesNotTheJdks() {
        // U+08E2 is a format character since Unicode 9, U+07FD a non-spacing mark since Unicode 11,
        // U+166D punctuation until Unicode 12: Hugging Face's tables predate those changes.
        assertEquals("a\u08e2b", BertNormalizer.uncased().normalize("a\u08e2b"));
        assertEquals("a\u07fdb", BertNormalizer.uncased().normalize("a\u07fdb"));
        assertEquals(List.of("a", "\u166d", "b"), BertPreTokenizer.split("a\u166db"));
        assertEquals("ab", BertNormalizer.uncased().normalize("a\u200b\ue000\udb80\udc00b"), "format and private use go");
        assertEquals("a\u0378b", BertNormalizer.uncased().normalize("a\u0378b"), "unassigned stays");
    }

    @Test
    void preTokenizerSplitsOnWhitespaceAndIsolatesEveryPunctuationCharacter() {
        assertEquals(List.of("don", "'", "t", "stop", "!", "!", "$", "5", "“", "hi", "”"),
                BertPreTokenizer.split("don't  stop!! $5 “hi”"));
        assertEquals(List.of("a", "b"), BertPreTokenizer.split("a\u00a0b"), "no-break space is whitespace too");
        assertEquals(List.of(), BertPreTokenizer.split(" \u3000 "));
    }
}
