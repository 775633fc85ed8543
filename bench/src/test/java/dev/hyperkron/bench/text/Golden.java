package dev.hyperkron.bench.text;

import dev.hyperkron.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the golden files that bench/scripts/*_reference.py write (test resources next to this class). */
final class Golden {
    private Golden() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("golden file " + name + " missing; regenerate it with bench/scripts");
            }
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    static int[] ints(Object value) {
        return list(value).stream().mapToInt(v -> (int) (long) (Long) v).toArray();
    }
}
