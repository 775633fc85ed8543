package dev.hyperkron.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import dev.hyperkron.core.io.TensorFileException;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.layers.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State dicts shared with PyTorch: a model with PyTorch's names saves a file that
 * {@code load_state_dict} accepts and loads one PyTorch wrote; the round trip runs against
 * Debian's python3-torch when it is installed (bench/scripts/torch_state_dict.py).
 */
class PyTorchStateDictTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "bench", "scripts", "torch_state_dict.py");

    private static Sequential model() {
        Map<String, Module> layers = new LinkedHashMap<>();
        layers.put("fc1", new Linear(4, 5));
        layers.put("act", Activation.tanh());
        layers.put("fc2", new Linear(5, 3));
        return new Sequential(layers);
    }

    @Test
    void aNamedSequentialCarriesPyTorchNames() {
        Params params = model().init(new Rng(1), DType.F32);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), params.names());
    }

    @Test
    void aStateDictRoundTripsThroughAFileAndConvertsFloatingDtypes(@TempDir Path dir) throws IOException {
        Params params = model().init(new Rng(2), DType.F32);
        Path file = dir.resolve("model.safetensors");
        ParamsFile.saveStateDict(file, params);
        assertEquals("pt", Safetensors.read(file).metadata().get("format"));
        assertEquals(params.flatten(), ParamsFile.loadStateDict(file, params).flatten());
        Params wide = ParamsFile.loadStateDict(file, model().init(new Rng(3), DType.F64));
        assertEquals(DType.F64, wide.dtype());
        assertEquals(params.flatten().cast(DType.F64), wide.flatten());
    }

    @Test
    void aStateDictOfAnotherModelIsRefusedWithEveryDifference(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc1.weight", Tensor.zeros(DType.F32, 5, 4));
        tensors.put("fc2.weight", Tensor.zeros(DType.F32, 3, 6));
        tensors.put("head.bias", Tensor.zeros(DType.F32, 3));
        Safetensors.write(file, TensorFile.of(tensors));
        TensorFileException e = assertThrows(TensorFileException.class,
                () -> ParamsFile.loadStateDict(file, model().init(new Rng(1), DType.F32)));
        String m = e.getMessage();
        assertTrue(m.contains("missing 'fc1.bias'") && m.contains("'fc2.weight' is F32 [3, 6]")
                && m.contains("unexpected 'head.bias'") && m.contains(file.toString()), m);
    }

    @Test
    void pyTorchLoadsOurStateDictAndWeLoadItsOwn(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.exists(SCRIPT),
                "needs /usr/bin/python3 and bench/scripts/torch_state_dict.py");
        Assumptions.assumeTrue(run(List.of(PYTHON.toString(), "-c", "import torch")) == 0,
                "Debian's python3-torch is not installed (apt-get install python3-torch)");
        Sequential model = model();
        Params params = model.init(new Rng(4), DType.F32);
        Tensor x = Tensor.randn(new Rng(5), DType.F32, 7, 4);
        Path state = dir.resolve("state.safetensors");
        Path input = dir.resolve("input.safetensors");
        Path logits = dir.resolve("logits.safetensors");
        Path torchState = dir.resolve("torch-state.safetensors");
        ParamsFile.saveStateDict(state, params);
        Safetensors.write(input, TensorFile.of(Map.of("input", x)));
        int exit = run(List.of(PYTHON.toString(), SCRIPT.toString(), state.toString(), input.toString(), logits.toString(),
                torchState.toString()));
        assertEquals(0, exit, "the PyTorch side failed");

        Tensor ours;
        try (NoGrad scope = NoGrad.enter()) {
            ours = model.apply(params, Var.constant(x), Context.eval()).value();
        }
        Tensor theirs = Safetensors.read(logits).tensor("logits");
        assertTrue(ours.allClose(theirs, 1e-5, 1e-6), "PyTorch's logits " + theirs + "\nours " + ours);

        Params loaded = ParamsFile.loadStateDict(torchState, params);
        assertEquals(params.flatten().mul(2).add(1), loaded.flatten());
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return p.exitValue();
    }
}
