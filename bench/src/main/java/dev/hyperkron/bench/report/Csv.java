package dev.hyperkron.bench.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes comma-separated tables (fields with commas or quotes are quoted). */
public final class Csv {
    private Csv() {
    }

    public static void write(Path file, List<String> header, List<List<Object>> rows) throws IOException {
        OutputFiles.prepare(file);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            line(w, List.copyOf(header));
            for (List<Object> r : rows) {
                line(w, r);
            }
        }
    }

    private static void line(Writer w, List<?> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            w.write(i == 0 ? "" : ",");
            String s = String.valueOf(cells.get(i));
            w.write(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        w.write("\n");
    }
}
