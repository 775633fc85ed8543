package dev.hyperkron.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One CUDA device opened for this process: the libraries, the device's primary context, the cuBLAS
 * handle and the NVRTC-compiled kernel module. Opened once, on first use, by {@link #get()}; when
 * anything is missing, that call throws a {@link CudaException} whose message says what and how to fix it.
 */
public final class CudaDevice {
    /** System property: the device ordinal to use (default 0). */
    public static final String DEVICE_PROPERTY = "hyperkron.cuda.device";
    /** System property: {@code true} lets cuBLAS round F32 GEMM inputs to TF32 on the tensor cores (faster, about 1e-3 relative error). */
    public static final String TF32_PROPERTY = "hyperkron.cuda.tf32";

    private static volatile CudaDevice instance;
    private static volatile CudaException failure;

    final CudaLibraries libraries;
    final CudaRuntime runtime;
    /** Device memory of arrays, reused after they are freed (see DeviceMemoryPool). */
    final DeviceMemoryPool pool;
    final CudaDriver driver;
    final Cublas cublas;
    final CudaModule module;
    /** The stream every kernel and GEMM of this backend is queued on (blocking: ordered with plain copies). */
    final MemorySegment stream;
    private final int ordinal;
    private final String name;
    private final int computeCapability;
    private final MemorySegment context;
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);
    private final CudaTensorDevice tensors;

    private CudaDevice(CudaLibraries libraries, int ordinal) {
        this.libraries = libraries;
        this.ordinal = ordinal;
        runtime = new CudaRuntime(libraries.open("runtime", "libcudart.so.13", "libcudart.so.12", "libcudart.so"));
        pool = new DeviceMemoryPool(runtime::malloc, runtime::free);
        int count = runtime.deviceCountOrError();
        if (count < 0) {
            throw new CudaException("no usable CUDA device: cudaGetDeviceCount failed with " + (-count) + " ("
                    + runtime.errorText(-count) + ")");
        }
        if (ordinal >= count) {
            throw new CudaException("no CUDA device " + ordinal + ": this machine has " + count
                    + (count == 0 ? "" : " (set -D" + DEVICE_PROPERTY + " to one of 0.." + (count - 1) + ")"));
        }
        driver = new CudaDriver(libraries.open("driver", "libcuda.so.1", "libcuda.so"));
        driver.init();
        int device = driver.device(ordinal);
        name = driver.deviceName(device);
        runtime.setDevice(ordinal);
        context = driver.retainPrimaryContext(device);
        bindCurrentThread();
        computeCapability = 10 * runtime.attribute(CudaRuntime.ATTRIBUTE_CC_MAJOR, ordinal)
                + runtime.attribute(CudaRuntime.ATTRIBUTE_CC_MINOR, ordinal);
        stream = runtime.streamCreate();
        libraries.preload("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so");
        long workspaceBytes = 32L << 20;
        cublas = new Cublas(libraries.open("cuBLAS", "libcublas.so.13", "libcublas.so.12", "libcublas.so"),
                Boolean.getBoolean(TF32_PROPERTY), stream, runtime.malloc(workspaceBytes), workspaceBytes);
        preloadNvrtcBuiltins();
        Nvrtc nvrtc = new Nvrtc(libraries.open("NVRTC", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"));
        byte[] image = nvrtc.compile("kernels.cu", kernelSource(), computeCapability, List.of());
        module = new CudaModule(this, driver.loadModule(image));
        tensors = new CudaTensorDevice(this);
    }

    /** The process's device, opened on first call; later calls after a failure rethrow the same failure. */
    public static CudaDevice get() {
        CudaDevice d = instance;
        if (d != null) {
            return d;
        }
        synchronized (CudaDevice.class) {
            if (instance == null) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    instance = new CudaDevice(CudaLibraries.fromEnvironment(), Integer.getInteger(DEVICE_PROPERTY, 0));
                } catch (CudaException e) {
                    failure = e;
                    throw e;
                } catch (RuntimeException | LinkageError e) {
                    failure = new CudaException("CUDA could not be opened: " + e, e);
                    throw failure;
                }
            }
            return instance;
        }
    }

    /**
     * This device as a core {@link dev.hyperkron.core.Device}, for tensors that live in GPU memory:
     * {@code x.to(CudaDevice.get().tensors())}. Always the same instance (core compares devices by identity).
     */
    public CudaTensorDevice tensors() {
        return tensors;
    }

    /** Makes the device's primary context current on the calling thread (once per thread); every entry point calls it. */
    void bindCurrentThread() {
        if (!bound.get()) {
            driver.setCurrent(context);
            bound.set(true);
        }
    }

    /** Waits until all work queued on the device has finished (for timing and explicit boundaries). */
    public void synchronize() {
        bindCurrentThread();
        runtime.synchronize();
    }

    public String name() {
        return name;
    }

    public int ordinal() {
        return ordinal;
    }

    /** Compute capability as one number, e.g. 90 for sm_90. */
    public int computeCapability() {
        return computeCapability;
    }

    /**
     * Records the work {@code body} queues on this backend's stream (kernel calls, GEMMs; no copies,
     * no allocation, no synchronisation) as a CUDA graph; {@link #replay} launches it again with one call.
     */
    public MemorySegment capture(Runnable body) {
        bindCurrentThread();
        runtime.beginCapture(stream);
        try {
            body.run();
        } catch (RuntimeException e) {
            try {
                runtime.endCaptureAndInstantiate(stream);
            } catch (CudaException ignored) {
                // the body's failure is the one to report
            }
            throw e;
        }
        return runtime.endCaptureAndInstantiate(stream);
    }

    /** Launches a graph from {@link #capture} on this backend's stream, without waiting. */
    public void replay(MemorySegment graph) {
        bindCurrentThread();
        runtime.graphLaunch(graph, stream);
    }

    /** Records an event on the default stream; pair two with {@link #elapsedMillis}. */
    public MemorySegment record() {
        bindCurrentThread();
        MemorySegment e = runtime.eventCreate();
        runtime.eventRecord(e);
        return e;
    }

    /** Device milliseconds between two events from {@link #record()}. */
    public float elapsedMillis(MemorySegment start, MemorySegment end) {
        return runtime.elapsedMillis(start, end);
    }

    @Override
    public String toString() {
        return name + " (device " + ordinal + ", sm_" + computeCapability + ", CUDA runtime " + runtime.runtimeVersion() + ")";
    }

    private void preloadNvrtcBuiltins() {
        // libnvrtc opens its builtins library by name at compile time; opening it first by path makes that work
        // when the library directory is not on the dynamic linker's path.
        for (Path dir : libraries.directories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "libnvrtc-builtins.so*")) {
                for (Path p : s) {
                    SymbolLookup.libraryLookup(p, Arena.global());
                    return;
                }
            } catch (IOException | IllegalArgumentException ignored) {
                // not there: NVRTC reports it itself if it needs it
            }
        }
    }

    static String kernelSource() {
        try (InputStream in = CudaDevice.class.getResourceAsStream("kernels.cu")) {
            if (in == null) {
                throw new CudaException("kernels.cu is missing from the hyperkron-gpu jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CudaException("cannot read kernels.cu from the hyperkron-gpu jar", e);
        }
    }
}
