package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;

/**
 * The index arithmetic of the tensor-device kernels, checked without a GPU: src/test/cpp/kernels_on_host.cpp
 * compiles kernels.cu as C++ (with stand-ins for CUDA's built-ins) and runs the strided, gather,
 * scatter, fill and convert kernels against independent references. Needs g++ on the path and the
 * module's sources (Maven's working directory); skipped otherwise.
 */
class KernelsOnHostTest {
    private static final Path DRIVER = Path.of("src/test/cpp/kernels_on_host.cpp");
    private static final Path KERNELS = Path.of("src/main/resources/dev/hyperkron/gpu");

    @Example
    void theTensorKernelsComputeTheirReferencesOnTheHost() throws IOException, InterruptedException {
        Assume.that(Files.isRegularFile(DRIVER) && Files.isDirectory(KERNELS) && onPath("g++"));
        Path dir = Files.createDirectories(Path.of("target/kernels-on-host"));
        // Without __CUDA_ARCH__: F64 scatter_add's compare-and-swap loop; with 900: atomicAdd.
        for (String arch : List.of("-U__CUDA_ARCH__", "-D__CUDA_ARCH__=900")) {
            Path binary = dir.resolve("kernels" + arch.replaceAll("\\W", "_"));
            run(List.of("g++", "-std=c++17", "-w", arch, "-I", KERNELS.toString(), "-o", binary.toString(), DRIVER.toString()));
            String out = run(List.of(binary.toAbsolutePath().toString()));
            assertTrue(out.contains("all kernels match"), out);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
