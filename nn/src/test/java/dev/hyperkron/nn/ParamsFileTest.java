package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import dev.hyperkron.core.io.TensorFileException;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamsFileTest {
    @TempDir
    Path dir;

    private static Module model() {
        return Models.mlp(4, new int[] {3}, 2, Activation.relu());
    }

    private static void assertMessage(Exception e, String... phrases) {
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    @Test
    void savedParamsLoadBackIntoAFreshModelBitForBit() throws IOException {
        Params trained = model().init(new Rng(1), DType.F32);
        Path file = dir.resolve("model.safetensors");
        ParamsFile.save(file, trained, Map.of("step", "120"));

        Params template = model().init(new Rng(2), DType.F32);
        assertNotEquals(trained.values(), template.values());
        Params loaded = ParamsFile.load(file, template);
        assertEquals(template.names(), loaded.names());
        assertEquals(trained.values(), loaded.values());
        assertTrue(loaded.vars().stream().allMatch(v -> v.requiresGrad()), "loaded parameters are fresh leaves");

        Map<String, String> metadata = ParamsFile.metadata(file);
        assertEquals("120", metadata.get("step"));
        assertEquals(ParamsFile.FORMAT, metadata.get(ParamsFile.FORMAT_KEY));
        assertEquals("1", metadata.get(ParamsFile.VERSION_KEY));
    }

    @Test
    void theFileIsPlainSafetensorsNamedByParameterPath() throws IOException {
        Params params = model().init(new Rng(1), DType.F64);
        Path file = dir.resolve("p.safetensors");
        ParamsFile.save(file, params);
        TensorFile contents = Safetensors.read(file);
        assertEquals(params.names(), List.copyOf(contents.tensors().keySet()));
        assertEquals(params.get(params.names().get(0)).value(), contents.tensor(params.names().get(0)));
    }

    @Test
    void everyMismatchWithTheTemplateIsListedInOneError() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("1.weight", Tensor.zeros(DType.F32, 3, 4));
        tensors.put("1.bias", Tensor.zeros(DType.F32, 4));
        tensors.put("3.weight", Tensor.zeros(DType.F64, 2, 3));
        tensors.put("head.weight", Tensor.zeros(DType.F32, 1));
        Path file = dir.resolve("wrong.safetensors");
        Safetensors.write(file, new TensorFile(tensors, Map.of(ParamsFile.FORMAT_KEY, ParamsFile.FORMAT,
                ParamsFile.VERSION_KEY, "1")));
        Params template = model().init(new Rng(1), DType.F32);
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), template.names());

        TensorFileException e = assertThrows(TensorFileException.class, () -> ParamsFile.load(file, template));
        assertMessage(e, file.toString(),
                "'1.bias' is F32 [4], the model expects F32 [3]",
                "'3.weight' is F64 [2, 3], the model expects F32 [2, 3]",
                "missing '3.bias' (F32 [2])",
                "unexpected 'head.weight' (F32 [1])");
        assertTrue(!e.getMessage().contains("'1.weight'"), "matching entries are not listed: " + e.getMessage());
    }

    @Test
    void filesWithoutTheFormatOrFromANewerVersionAreRejected() throws IOException {
        Params template = model().init(new Rng(1), DType.F32);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : template.names()) {
            tensors.put(name, template.get(name).value());
        }
        Path foreign = dir.resolve("foreign.safetensors");
        Safetensors.write(foreign, tensors);
        assertMessage(assertThrows(TensorFileException.class, () -> ParamsFile.load(foreign, template)),
                foreign.toString(), "not a Hyperkron params file", "absent");

        Path newer = dir.resolve("newer.safetensors");
        Safetensors.write(newer, new TensorFile(tensors, Map.of(ParamsFile.FORMAT_KEY, ParamsFile.FORMAT,
                ParamsFile.VERSION_KEY, "2")));
        assertMessage(assertThrows(TensorFileException.class, () -> ParamsFile.load(newer, template)),
                "unsupported params format version '2'");
    }

    @Test
    void reservedMetadataKeysCannotBeOverwritten() {
        Params params = model().init(new Rng(1), DType.F32);
        assertThrows(IllegalArgumentException.class,
                () -> ParamsFile.save(dir.resolve("x"), params, Map.of(ParamsFile.VERSION_KEY, "9")));
    }
}
