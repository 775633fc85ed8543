package dev.hyperkron.bench.experiments.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A few dozen TREC-like questions in the WRENCH layout of ../shared/data/trec (train.json,
 * valid.json, test.json, hard_labels.npy), for tests that must not depend on the real data.
 * Questions of different lengths, one template per class; every third noisy label says class 0.
 */
public final class TinyTrec {
    private static final String[][] TEMPLATES = {
        {"what is %s ?", "what does the word %s mean in old english poetry ?"},
        {"what kind of animal is %s ?", "what color is %s ?"},
        {"who invented %s ?", "who was the first person to write about %s in a newspaper ?"},
        {"where is %s ?", "where can i find %s ?"},
        {"when was %s built ?", "when did %s happen for the very first time in history ?"},
        {"how many %s are there ?", "how much does %s cost ?"},
    };
    private static final String[] NOUNS = {"the eiffel tower", "a llama", "television", "mount everest", "jazz",
        "the telephone", "paris", "a comet", "the moon", "chess", "rice", "the nile"};

    private TinyTrec() {
    }

    /** Writes {@code train}, {@code valid} and {@code test} questions into {@code dir} and returns it. */
    public static Path write(Path dir, int train, int valid, int test) throws IOException {
        List<Long> gold = split(dir.resolve("train.json"), train, 0);
        split(dir.resolve("valid.json"), valid, train);
        split(dir.resolve("test.json"), test, train + valid);
        long[] noisy = new long[train];
        for (int i = 0; i < train; i++) {
            noisy[i] = i % 3 == 0 ? 0 : gold.get(i);
        }
        writeNpy(dir.resolve("hard_labels.npy"), noisy);
        return dir;
    }

    /** Questions i = offset .. offset + n - 1 of the cycle over classes, templates and nouns. */
    public static List<String> questions(int offset, int n) {
        List<String> out = new ArrayList<>();
        for (int i = offset; i < offset + n; i++) {
            out.add(question(i));
        }
        return out;
    }

    private static String question(int i) {
        String[] templates = TEMPLATES[i % TEMPLATES.length];
        return String.format(templates[(i / TEMPLATES.length) % 2], NOUNS[(i / 2) % NOUNS.length]);
    }

    private static List<Long> split(Path file, int n, int offset) throws IOException {
        StringBuilder json = new StringBuilder("{");
        List<Long> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long label = (offset + i) % TEMPLATES.length;
            labels.add(label);
            json.append(i == 0 ? "" : ", ").append('"').append(i).append("\": {\"label\": ").append(label)
                    .append(", \"data\": {\"text\": \"").append(question(offset + i)).append("\"}}");
        }
        Files.writeString(file, json.append('}'), StandardCharsets.UTF_8);
        return labels;
    }

    private static void writeNpy(Path file, long[] values) throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        byte[] text = (header + " ".repeat(117 - header.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) text.length).put(text);
        for (long v : values) {
            b.putLong(v);
        }
        Files.write(file, b.array());
    }
}
