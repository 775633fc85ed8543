package dev.hyperkron.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** Writes results as indented JSON (records, maps and lists) with Jackson. */
public final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {
    }

    public static void write(Path file, Object value) throws IOException {
        OutputFiles.prepare(file);
        MAPPER.writeValue(file.toFile(), value);
    }
}
