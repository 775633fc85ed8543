package dev.hyperkron.bilevel.train;

import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Json;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.optim.OptimizerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Everything a run needs to continue exactly where it stopped: step, elapsed time, theta, lambda,
 * what the hypergradient method carries between outer steps, both optimizer states, the batch
 * samplers' states, the history, and the settings the run was
 * started with (so that a resume with other settings is refused rather than silently mixed).
 * Stored as one safetensors file (tensors under "theta/", "lambda/", "method/", "inner/", "outer/"; the rest
 * as JSON metadata) with a CRC-32C over the metadata and every tensor, so that a damaged file is
 * refused. It is written to a temporary file, forced to disk and moved into place, so a run
 * killed mid-write (or a power loss) keeps the previous checkpoint.
 *
 * @param settings    what defines the run apart from its budget, as name and value (may be empty)
 * @param methodState the method's {@code HypergradientMethod.state()} (empty for stateless methods)
 */
public record Checkpoint(int step, double seconds, String method, Map<String, String> settings, Params theta,
                         Params lambda, Params methodState, OptimizerState inner, OptimizerState outer, List<long[]> samplers,
                         List<HistoryEntry> history) {

    /** The file name inside a checkpoint directory. */
    public static final String FILE = "checkpoint.safetensors";
    private static final String KEY = "hyperkron.checkpoint";
    private static final String CHECKSUM_KEY = "hyperkron.checkpoint.crc32c";
    private static final int VERSION = 2;

    public Checkpoint {
        settings = Map.copyOf(settings);
    }

    /**
     * This checkpoint with its tensors on {@code device}: a run on an accelerator resumes there
     * from a checkpoint, which is always read to and written from the host.
     */
    public Checkpoint to(Device device) {
        return new Checkpoint(step, seconds, method, settings, theta.to(device).asLeaves(), lambda.to(device).asLeaves(),
                methodState.to(device), inner.to(device), outer.to(device), samplers, history);
    }

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Writes this checkpoint into {@code dir} (created if needed), atomically replacing an older
     * one. Refuses to write through a symbolic link at the file or its temporary twin, which
     * would overwrite a file outside the directory.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        for (Path p : List.of(file, tmp)) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + " is a symbolic link; refusing to write a checkpoint through it");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        putAll(tensors, "theta/", theta);
        putAll(tensors, "lambda/", lambda);
        putAll(tensors, "method/", methodState);
        inner.tensors().forEach((k, t) -> tensors.put("inner/" + k, t.to(Device.host())));
        outer.tensors().forEach((k, t) -> tensors.put("outer/" + k, t.to(Device.host())));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("version", (long) VERSION);
        meta.put("step", (long) step);
        meta.put("seconds", seconds);
        meta.put("method", method);
        meta.put("settings", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(settings)));
        meta.put("inner", optimizerJson(inner));
        meta.put("outer", optimizerJson(outer));
        List<Object> samplerJson = new ArrayList<>();
        for (long[] s : samplers) {
            List<Object> values = new ArrayList<>();
            for (long x : s) {
                values.add(x);
            }
            samplerJson.add(values);
        }
        meta.put("samplers", samplerJson);
        List<Object> entries = new ArrayList<>();
        for (HistoryEntry e : history) {
            entries.add(HistoryJson.toJson(e));
        }
        meta.put("history", entries);
        String json = Json.write(meta);
        Safetensors.write(tmp, new TensorFile(tensors, Map.of(KEY, json, CHECKSUM_KEY, checksum(json, tensors))));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
    }

    /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the rename itself is atomic; only its durability across a power loss is not assured here
        }
    }

    /** Reads the checkpoint in {@code dir}; a damaged file or a missing or mistyped entry is an IOException. */
    public static Checkpoint load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        TensorFile contents = Safetensors.read(file);
        String json = contents.metadata().get(KEY);
        if (json == null) {
            throw new IOException(file + ": not a Hyperkron checkpoint (no '" + KEY + "' metadata)");
        }
        Map<String, Object> parsed;
        try {
            parsed = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": damaged checkpoint metadata: " + e.getMessage(), e);
        }
        CheckpointEntries meta = new CheckpointEntries(file, "", parsed);
        long version = meta.integer("version");
        if (version != VERSION) {
            throw new IOException(file + ": checkpoint format version " + version + " is not supported (expected "
                    + VERSION + "); start the run afresh in another folder");
        }
        List<long[]> samplers = new ArrayList<>();
        List<?> samplerList = meta.list("samplers");
        for (int s = 0; s < samplerList.size(); s++) {
            List<?> values = meta.element("samplers", samplerList, s, List.class, "a list");
            long[] state = new long[values.size()];
            for (int i = 0; i < state.length; i++) {
                state[i] = meta.element("samplers[" + s + "]", values, i, Long.class, "an integer");
            }
            samplers.add(state);
        }
        List<HistoryEntry> history = new ArrayList<>();
        List<?> historyList = meta.list("history");
        for (int i = 0; i < historyList.size(); i++) {
            history.add(HistoryJson.fromJson(meta.object("history", historyList, i)));
        }
        Checkpoint checkpoint = new Checkpoint((int) meta.integer("step"), meta.number("seconds"), meta.string("method"),
                meta.object("settings").strings(), params(contents, "theta/"), params(contents, "lambda/"),
                params(contents, "method/"), optimizer(file, contents, "inner", meta), optimizer(file, contents, "outer", meta), samplers, history);
        String stored = contents.metadata().get(CHECKSUM_KEY);
        String actual = checksum(json, contents.tensors());
        if (!actual.equals(stored)) {
            throw new IOException(file + ": the checkpoint is damaged (its CRC-32C is " + actual + " but "
                    + (stored == null ? "none was stored" : stored + " was stored") + ")");
        }
        return checkpoint;
    }

    /**
     * CRC-32C over the metadata JSON and every tensor's name, dtype, shape and elements: it
     * detects damage (a flipped bit in a tensor or in the step counter), not tampering.
     */
    private static String checksum(String json, Map<String, Tensor> tensors) {
        CRC32C crc = new CRC32C();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            crc.update((e.getKey() + "\0" + t.dtype() + t.shape()).getBytes(StandardCharsets.UTF_8));
            Object array = t.storage().array();
            int n = t.shape().size();
            for (int i = 0; i < n; i++) {
                if (chunk.remaining() < Long.BYTES) {
                    crc.update(chunk.flip());
                    chunk.clear();
                }
                switch (t.dtype()) {
                    case F32 -> chunk.putInt(Float.floatToRawIntBits(((float[]) array)[i]));
                    case F64 -> chunk.putLong(Double.doubleToRawLongBits(((double[]) array)[i]));
                    case I32 -> chunk.putInt(((int[]) array)[i]);
                    case I64 -> chunk.putLong(((long[]) array)[i]);
                    case U8 -> chunk.put(((byte[]) array)[i]);
                }
            }
        }
        crc.update(chunk.flip());
        return String.format("%08x", crc.getValue());
    }

    private static void putAll(Map<String, Tensor> tensors, String prefix, Params params) {
        List<String> names = params.names();
        List<Tensor> values = params.values();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(prefix + names.get(i), values.get(i).to(Device.host()));
        }
    }

    private static Params params(TensorFile contents, String prefix) {
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        contents.tensors().forEach((k, t) -> {
            if (k.startsWith(prefix)) {
                names.add(k.substring(prefix.length()));
                values.add(t);
            }
        });
        return Params.leaves(names, values);
    }

    private static Map<String, Object> optimizerJson(OptimizerState state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", state.kind());
        m.put("scalars", new LinkedHashMap<String, Object>(state.scalars()));
        m.put("tensors", new ArrayList<Object>(state.tensors().keySet()));
        return m;
    }

    private static OptimizerState optimizer(Path file, TensorFile contents, String role, CheckpointEntries meta)
            throws IOException {
        CheckpointEntries m = meta.object(role);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<?> names = m.list("tensors");
        for (int i = 0; i < names.size(); i++) {
            String name = m.element("tensors", names, i, String.class, "a string");
            Tensor t = contents.tensors().get(role + "/" + name);
            if (t == null) {
                throw new IOException(file + ": the checkpoint lists optimizer tensor '" + role + "/" + name
                        + "' but does not hold it");
            }
            tensors.put(name, t);
        }
        return new OptimizerState(m.string("kind"), tensors, m.object("scalars").numbers());
    }
}
