package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import dev.hyperkron.core.io.TensorFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves {@link Params} to safetensors files (one tensor per parameter name, so other tools can
 * read them) and loads them back into the Params of a model. Loading is checked against a
 * template, usually {@code model.init(...)}: every name, shape and dtype must match, and one
 * error lists all the differences, so a checkpoint of the wrong model fails loudly.
 *
 * <p>PyTorch interop: {@link #saveStateDict} writes a file that
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} accepts, and
 * {@link #loadStateDict} reads one written by {@code safetensors.torch.save_file(model.state_dict(),
 * path)}, for a model whose layers carry PyTorch's names (a named {@code Sequential} gives
 * "fc1.weight"; Linear weights are [out, in] in both libraries).
 */
public final class ParamsFile {
    /** Metadata key naming the file's layout. */
    public static final String FORMAT_KEY = "format";
    /** The value of {@link #FORMAT_KEY} in files this class writes. */
    public static final String FORMAT = "hyperkron.params";
    /** Metadata key of the layout's version. */
    public static final String VERSION_KEY = "format_version";
    /** The newest version this class reads, and the one it writes. */
    public static final int VERSION = 1;

    private ParamsFile() {
    }

    /** Writes (creating or replacing) {@code file} with the parameter values. */
    public static void save(Path file, Params params) throws IOException {
        save(file, params, Map.of());
    }

    /** Writes the parameter values plus free-form string metadata (e.g. the training step). */
    public static void save(Path file, Params params, Map<String, String> metadata) throws IOException {
        if (metadata.containsKey(FORMAT_KEY) || metadata.containsKey(VERSION_KEY)) {
            throw new IllegalArgumentException("ParamsFile.save " + file + ": the metadata keys '" + FORMAT_KEY + "' and '"
                    + VERSION_KEY + "' are reserved");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> names = params.names();
        List<Tensor> values = params.values();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), values.get(i));
        }
        Map<String, String> allMetadata = new LinkedHashMap<>();
        allMetadata.put(FORMAT_KEY, FORMAT);
        allMetadata.put(VERSION_KEY, Integer.toString(VERSION));
        allMetadata.putAll(metadata);
        Safetensors.write(file, new TensorFile(tensors, allMetadata));
    }

    /**
     * The parameters stored in {@code file}, as fresh leaves named and ordered like
     * {@code template}. Missing names, extra names and shape or dtype mismatches are all
     * reported in one {@link TensorFileException}.
     */
    public static Params load(Path file, Params template) throws IOException {
        return match(file, read(file), template, false);
    }

    private static Params match(Path file, TensorFile contents, Params template, boolean convertFloats)
            throws TensorFileException {
        List<String> problems = new ArrayList<>();
        List<String> names = template.names();
        List<Tensor> expected = template.values();
        List<Tensor> loaded = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Tensor want = expected.get(i);
            Tensor got = contents.tensors().get(name);
            if (got != null && convertFloats && got.dtype().isFloating() && want.dtype().isFloating()) {
                got = got.cast(want.dtype());
            }
            if (got == null) {
                problems.add("missing '" + name + "' (" + want.dtype() + " " + want.shape() + ")");
            } else if (got.dtype() != want.dtype() || !got.shape().equals(want.shape())) {
                problems.add("'" + name + "' is " + got.dtype() + " " + got.shape() + ", the model expects "
                        + want.dtype() + " " + want.shape());
            }
            loaded.add(got);
        }
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            if (!template.contains(e.getKey())) {
                problems.add("unexpected '" + e.getKey() + "' (" + e.getValue().dtype() + " " + e.getValue().shape()
                        + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new TensorFileException(file, "does not hold the model's parameters: " + String.join("; ", problems));
        }
        return Params.leaves(names, loaded);
    }

    /**
     * Writes the parameters as a PyTorch state_dict in safetensors form: one tensor per name,
     * metadata {"format": "pt"} as {@code safetensors.torch.save_file} writes it.
     */
    public static void saveStateDict(Path file, Params params) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : params.names()) {
            tensors.put(name, params.value(name));
        }
        Safetensors.write(file, new TensorFile(tensors, Map.of("format", "pt")));
    }

    /**
     * The parameters of a PyTorch state_dict saved as safetensors (any metadata), named and ordered
     * like {@code template}, as fresh leaves. Floating tensors are converted to the template's dtype
     * (PyTorch checkpoints are often F32 or half precision); missing names, extra names and shape
     * mismatches are all reported in one {@link TensorFileException}.
     */
    public static Params loadStateDict(Path file, Params template) throws IOException {
        return match(file, Safetensors.read(file), template, true);
    }

    /** The metadata of a params file, including {@link #FORMAT_KEY} and {@link #VERSION_KEY}. */
    public static Map<String, String> metadata(Path file) throws IOException {
        return read(file).metadata();
    }

    private static TensorFile read(Path file) throws IOException {
        TensorFile contents = Safetensors.read(file);
        Map<String, String> metadata = contents.metadata();
        String format = metadata.get(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            throw new TensorFileException(file, "not a Hyperkron params file: metadata '" + FORMAT_KEY + "' is "
                    + (format == null ? "absent" : "'" + format + "'") + ", expected '" + FORMAT + "'");
        }
        String version = metadata.get(VERSION_KEY);
        int parsed;
        try {
            parsed = version == null ? -1 : Integer.parseInt(version);
        } catch (NumberFormatException e) {
            parsed = -1;
        }
        if (parsed < 1 || parsed > VERSION) {
            throw new TensorFileException(file, "unsupported params format version " + (version == null ? "(absent)"
                    : "'" + version + "'") + ": this build reads versions 1 to " + VERSION);
        }
        return contents;
    }
}
