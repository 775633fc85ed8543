package dev.hyperkron.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and opens the CUDA shared libraries (runtime, cuBLAS, cuSOLVER, NVRTC, and the driver)
 * without any native code of ours: a directory from {@value #PROPERTY} or {@value #ENVIRONMENT},
 * else the usual install places, else the dynamic linker's own search path.
 */
public final class CudaLibraries {
    /** System property naming the directory that holds libcudart, libcublas, libnvrtc and libcusolver. */
    public static final String PROPERTY = "hyperkron.cuda.libDir";
    /** Environment variable used when the property is not set. */
    public static final String ENVIRONMENT = "CUDA_LIB_DIR";

    private static final List<String> DEFAULT_DIRECTORIES = List.of(
            "/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib",
            "/usr/local/cuda/lib64", "/usr/local/cuda/lib", "/usr/local/cuda-13.0/lib64", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib",
            "/usr/lib/x86_64-linux-gnu");

    private final List<Path> directories;

    private CudaLibraries(List<Path> directories) {
        this.directories = directories;
    }

    /** The search directories in order: the configured one (if any) first, then the defaults. */
    public static CudaLibraries fromEnvironment() {
        List<Path> dirs = new ArrayList<>();
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        if (configured != null && !configured.isBlank()) {
            for (String part : configured.split(java.io.File.pathSeparator)) {
                if (!part.isBlank()) {
                    dirs.add(Path.of(part.trim()));
                }
            }
        }
        for (String d : DEFAULT_DIRECTORIES) {
            dirs.add(Path.of(d));
        }
        return new CudaLibraries(List.copyOf(dirs));
    }

    /**
     * Opens the first library among {@code fileNames} (e.g. libcublas.so.13, libcublas.so.12) found
     * in the search directories, then by bare name through the dynamic linker; the exception names
     * the files, the directories searched, and the property and variable to set.
     */
    public SymbolLookup open(String what, String... fileNames) {
        Optional<Path> found = find(fileNames);
        if (found.isPresent()) {
            return SymbolLookup.libraryLookup(found.get(), Arena.global());
        }
        for (String name : fileNames) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notOnLinkerPath) {
                // try the next name
            }
        }
        throw new CudaException("CUDA " + what + " not found: none of " + String.join(", ", fileNames)
                + " in " + directories + " or on the dynamic linker's path; set -D" + PROPERTY
                + "=<dir> or the environment variable " + ENVIRONMENT + " to the directory holding it");
    }

    /** Opens the library if present (to satisfy another library's dependency), else does nothing. */
    public void preload(String... fileNames) {
        find(fileNames).ifPresent(p -> SymbolLookup.libraryLookup(p, Arena.global()));
    }

    private Optional<Path> find(String... fileNames) {
        for (Path dir : directories) {
            for (String name : fileNames) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    List<Path> directories() {
        return directories;
    }
}
