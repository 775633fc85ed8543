package dev.hyperkron.core.io;

import dev.hyperkron.core.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file as checked entries: every rule of the format that can
 * be verified without the data is verified here, so reading the data afterwards cannot go out
 * of bounds or leave bytes unaccounted for.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** One tensor's header entry; offsets are relative to the start of the data buffer. */
    record Entry(String name, StoredType stored, Shape shape, long begin, long end) {
        long byteCount() {
            return end - begin;
        }
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Entries in header order. */
    List<Entry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** Why {@code name} cannot name a tensor, or null when it can. */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "tensor names must not be empty";
        } else if (name.equals(METADATA_KEY)) {
            return "\"" + METADATA_KEY + "\" is reserved for the metadata and cannot name a tensor";
        }
        return null;
    }

    /** Parses and validates a header against a data buffer of {@code dataLength} bytes. */
    static SafetensorsHeader parse(Path file, String json, long dataLength) throws TensorFileException {
        Map<String, Object> root;
        try {
            root = Json.parseObject(json);
        } catch (JsonException e) {
            throw new TensorFileException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> member : root.entrySet()) {
            if (member.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, member.getValue());
            } else {
                entries.add(parseEntry(file, member.getKey(), member.getValue()));
            }
        }
        checkLayout(file, entries, dataLength);
        return new SafetensorsHeader(entries, metadata);
    }

    private static Map<String, String> parseMetadata(Path file, Object value) throws TensorFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new TensorFileException(file, "\"" + METADATA_KEY + "\" must be an object of strings but is "
                    + JsonWriter.describe(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new TensorFileException(file, "\"" + METADATA_KEY + "\" must map strings to strings but key "
                        + JsonWriter.quote((String) e.getKey()) + " holds " + JsonWriter.describe(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry parseEntry(Path file, String name, Object value) throws TensorFileException {
        String where = "tensor " + JsonWriter.quote(name);
        String nameProblem = nameProblem(name);
        if (nameProblem != null) {
            throw new TensorFileException(file, nameProblem);
        }
        if (!(value instanceof Map<?, ?> info)) {
            throw new TensorFileException(file, where + " must be an object with dtype, shape and data_offsets but is "
                    + JsonWriter.describe(value));
        }
        for (Object key : info.keySet()) {
            if (!ENTRY_KEYS.contains(key)) {
                throw new TensorFileException(file, where + " has unexpected key " + JsonWriter.quote((String) key)
                        + " (expected dtype, shape, data_offsets)");
            }
        }
        StoredType dtype = parseDType(file, where, info.get("dtype"));
        Shape shape = parseShape(file, where, info.get("shape"));
        long[] offsets = parseOffsets(file, where, info.get("data_offsets"));
        long expected = (long) shape.size() * dtype.byteSize;
        if (offsets[1] - offsets[0] != expected) {
            throw new TensorFileException(file, where + " has data_offsets " + Arrays.toString(offsets) + " spanning "
                    + (offsets[1] - offsets[0]) + " bytes, but shape " + shape + " of " + dtype + " needs "
                    + shape.size() + " x " + dtype.byteSize + " = " + expected + " bytes");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static StoredType parseDType(Path file, String where, Object value) throws TensorFileException {
        if (!(value instanceof String name)) {
            throw new TensorFileException(file, where + " needs a string \"dtype\" but has " + JsonWriter.describe(value));
        }
        for (StoredType d : StoredType.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new TensorFileException(file, where + " has dtype " + JsonWriter.quote(name)
                + ", which is not supported (supported: " + supportedDTypes() + ")");
    }

    static String supportedDTypes() {
        StringBuilder sb = new StringBuilder();
        for (StoredType d : StoredType.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.name());
        }
        return sb.toString();
    }

    private static Shape parseShape(Path file, String where, Object value) throws TensorFileException {
        if (!(value instanceof List<?> list)) {
            throw new TensorFileException(file, where + " needs a \"shape\" array but has " + JsonWriter.describe(value));
        }
        int[] dims = new int[list.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            Object d = list.get(i);
            if (!(d instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw new TensorFileException(file, where + " has shape " + list + " whose dimension " + i
                        + " is not an integer in [0, " + Integer.MAX_VALUE + "]");
            }
            dims[i] = (int) (long) n;
            elements *= dims[i];
            if (elements > Integer.MAX_VALUE) {
                throw new TensorFileException(file, where + " has shape " + list + " with more than "
                        + Integer.MAX_VALUE + " elements, more than a Tensor holds");
            }
        }
        return Shape.of(dims);
    }

    private static long[] parseOffsets(Path file, String where, Object value) throws TensorFileException {
        if (!(value instanceof List<?> list) || list.size() != 2
                || !(list.get(0) instanceof Long begin) || !(list.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw new TensorFileException(file, where + " needs \"data_offsets\" [begin, end] with 0 <= begin <= end but has "
                    + (value instanceof List ? value : JsonWriter.describe(value)));
        }
        return new long[] {begin, end};
    }

    /** The format requires the tensors to tile the data buffer exactly: no overlap, no hole, nothing after. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) throws TensorFileException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.end > dataLength) {
                throw new TensorFileException(file, "tensor " + JsonWriter.quote(e.name) + " has data_offsets ["
                        + e.begin + ", " + e.end + "] past the end of the " + dataLength + "-byte data buffer (truncated file?)");
            }
            if (e.begin < covered) {
                throw new TensorFileException(file, "tensor " + JsonWriter.quote(e.name) + " at [" + e.begin + ", " + e.end
                        + "] overlaps tensor " + JsonWriter.quote(previous.name) + " at [" + previous.begin + ", " + previous.end + "]");
            }
            if (e.begin > covered) {
                throw new TensorFileException(file, "hole in the data buffer: bytes [" + covered + ", " + e.begin
                        + ") belong to no tensor (next is " + JsonWriter.quote(e.name) + ")");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw new TensorFileException(file, "hole in the data buffer: bytes [" + covered + ", " + dataLength
                    + ") at its end belong to no tensor");
        }
    }

    /** Compact header JSON: the metadata first (when there is any), then the entries in the given order; no padding. */
    static String encode(List<Entry> entries, Map<String, String> metadata) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            root.put(METADATA_KEY, metadata);
        }
        for (Entry e : entries) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.stored.name());
            List<Object> dims = new ArrayList<>();
            for (int d : e.shape.dims()) {
                dims.add((long) d);
            }
            info.put("shape", dims);
            info.put("data_offsets", List.of(e.begin, e.end));
            root.put(e.name, info);
        }
        return Json.write(root);
    }
}
