package dev.hyperkron.bilevel.train;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Json;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly where it stopped: step, elapsed time, theta, lambda,
 * both optimizer states, the batch samplers' states and the history. Stored as one safetensors
 * file (tensors under "theta/", "lambda/", "inner/", "outer/"; the rest as JSON metadata),
 * written to a temporary file and moved into place, so a run killed mid-write keeps the
 * previous checkpoint.
 */
public record Checkpoint(int step, double seconds, String method, Params theta, Params lambda,
                         OptimizerState inner, OptimizerState outer, List<long[]> samplers, List<HistoryEntry> history) {

    /** The file name inside a checkpoint directory. */
    public static final String FILE = "checkpoint.safetensors";
    private static final String KEY = "hyperkron.checkpoint";
    private static final int VERSION = 1;

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Writes this checkpoint into {@code dir} (created if needed), atomically replacing an older one. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        putAll(tensors, "theta/", theta);
        putAll(tensors, "lambda/", lambda);
        inner.tensors().forEach((k, t) -> tensors.put("inner/" + k, t));
        outer.tensors().forEach((k, t) -> tensors.put("outer/" + k, t));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("version", (long) VERSION);
        meta.put("step", (long) step);
        meta.put("seconds", seconds);
        meta.put("method", method);
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
        Path tmp = dir.resolve(FILE + ".tmp");
        Safetensors.write(tmp, new TensorFile(tensors, Map.of(KEY, Json.write(meta))));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads the checkpoint in {@code dir}. */
    public static Checkpoint load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        TensorFile contents = Safetensors.read(file);
        String json = contents.metadata().get(KEY);
        if (json == null) {
            throw new IOException(file + ": not a Hyperkron checkpoint (no '" + KEY + "' metadata)");
        }
        Map<String, Object> meta = Json.parseObject(json);
        long version = (Long) meta.get("version");
        if (version != VERSION) {
            throw new IOException(file + ": checkpoint format version " + version + " is not supported (expected " + VERSION + ")");
        }
        List<long[]> samplers = new ArrayList<>();
        for (Object s : (List<?>) meta.get("samplers")) {
            List<?> values = (List<?>) s;
            long[] state = new long[values.size()];
            for (int i = 0; i < state.length; i++) {
                state[i] = (Long) values.get(i);
            }
            samplers.add(state);
        }
        List<HistoryEntry> history = new ArrayList<>();
        for (Object e : (List<?>) meta.get("history")) {
            history.add(HistoryJson.fromJson(e));
        }
        return new Checkpoint(((Long) meta.get("step")).intValue(), ((Number) meta.get("seconds")).doubleValue(),
                (String) meta.get("method"), params(contents, "theta/"), params(contents, "lambda/"),
                optimizer(contents, "inner", meta), optimizer(contents, "outer", meta), samplers, history);
    }

    private static void putAll(Map<String, Tensor> tensors, String prefix, Params params) {
        List<String> names = params.names();
        List<Tensor> values = params.values();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(prefix + names.get(i), values.get(i));
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

    private static OptimizerState optimizer(TensorFile contents, String role, Map<String, Object> meta) {
        Map<?, ?> m = (Map<?, ?>) meta.get(role);
        Map<String, Double> scalars = new LinkedHashMap<>();
        ((Map<?, ?>) m.get("scalars")).forEach((k, v) -> scalars.put((String) k, ((Number) v).doubleValue()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Object name : (List<?>) m.get("tensors")) {
            tensors.put((String) name, contents.tensor(role + "/" + name));
        }
        return new OptimizerState((String) m.get("kind"), tensors, scalars);
    }
}
