package dev.hyperkron.nn.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which code points BERT tokenization treats as control characters (removed), accents (removed
 * when stripping accents) and punctuation (split off), exactly as Hugging Face tokenizers does.
 * Its categories come from Unicode tables older than the JDK's, so Character.getType would
 * disagree on a few hundred characters added to Unicode since (and on more, the newer the JDK);
 * this table, measured from the library by bench/scripts/bert_char_classes.py, makes the tokens
 * the same on every JDK.
 */
final class BertCharClasses {
    static final BertCharClasses CONTROL;
    static final BertCharClasses MARK;
    static final BertCharClasses PUNCTUATION;

    static {
        Map<String, BertCharClasses> classes = load("bert-char-classes.txt");
        CONTROL = classes.get("control");
        MARK = classes.get("mark");
        PUNCTUATION = classes.get("punctuation");
    }

    private final int[] starts;
    private final int[] ends;

    private BertCharClasses(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    boolean contains(int codePoint) {
        int i = Arrays.binarySearch(starts, codePoint);
        if (i >= 0) {
            return true;
        }
        int before = -i - 2;
        return before >= 0 && codePoint <= ends[before];
    }

    private static Map<String, BertCharClasses> load(String resource) {
        Map<String, BertCharClasses> classes = new HashMap<>();
        try (InputStream in = BertCharClasses.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("BertCharClasses: resource " + resource + " is missing from the nn jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                int[] starts = new int[fields.length - 1];
                int[] ends = new int[fields.length - 1];
                for (int i = 1; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    starts[i - 1] = Integer.parseInt(range[0], 16);
                    ends[i - 1] = Integer.parseInt(range[range.length - 1], 16);
                }
                classes.put(fields[0], new BertCharClasses(starts, ends));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BertCharClasses: cannot read " + resource, e);
        }
        for (String name : new String[] {"control", "mark", "punctuation"}) {
            if (!classes.containsKey(name)) {
                throw new IllegalStateException("BertCharClasses: " + resource + " has no line for " + name);
            }
        }
        return classes;
    }
}
