package dev.hyperkron.gpu;

import static dev.hyperkron.gpu.Native.FLOAT;
import static dev.hyperkron.gpu.Native.INT;
import static dev.hyperkron.gpu.Native.LONG;
import static dev.hyperkron.gpu.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The few CUDA runtime (libcudart) functions this backend needs: device memory, copies, events.
 * Every call's status is checked; a failure names the call and the runtime's own error text.
 */
final class CudaRuntime {
    static final int HOST_TO_DEVICE = 1;
    static final int DEVICE_TO_HOST = 2;
    static final int DEVICE_TO_DEVICE = 3;
    static final int ATTRIBUTE_CC_MAJOR = 75;
    static final int ATTRIBUTE_CC_MINOR = 76;

    private final MethodHandle getDeviceCount;
    private final MethodHandle setDevice;
    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle memcpy;
    private final MethodHandle memset;
    private final MethodHandle synchronize;
    private final MethodHandle errorString;
    private final MethodHandle deviceAttribute;
    private final MethodHandle runtimeVersion;
    private final MethodHandle eventCreate;
    private final MethodHandle eventRecord;
    private final MethodHandle eventSynchronize;
    private final MethodHandle eventElapsed;
    private final MethodHandle streamCreate;
    private final MethodHandle streamSynchronize;
    private final MethodHandle beginCapture;
    private final MethodHandle endCapture;
    private final MethodHandle graphInstantiate;
    private final MethodHandle graphLaunch;

    CudaRuntime(SymbolLookup lookup) {
        Native lib = new Native(lookup, "libcudart");
        getDeviceCount = lib.status("cudaGetDeviceCount", PTR);
        setDevice = lib.status("cudaSetDevice", INT);
        malloc = lib.status("cudaMalloc", PTR, LONG);
        free = lib.status("cudaFree", PTR);
        // critical + heap access: copies straight from and into Java arrays, no staging copy.
        memcpy = lib.handle("cudaMemcpy", FunctionDescriptor.of(INT, PTR, PTR, LONG, INT), Linker.Option.critical(true));
        memset = lib.status("cudaMemset", PTR, INT, LONG);
        synchronize = lib.status("cudaDeviceSynchronize");
        errorString = lib.handle("cudaGetErrorString", FunctionDescriptor.of(PTR, INT));
        deviceAttribute = lib.status("cudaDeviceGetAttribute", PTR, INT, INT);
        runtimeVersion = lib.status("cudaRuntimeGetVersion", PTR);
        eventCreate = lib.status("cudaEventCreate", PTR);
        eventRecord = lib.status("cudaEventRecord", PTR, PTR);
        eventSynchronize = lib.status("cudaEventSynchronize", PTR);
        eventElapsed = lib.status("cudaEventElapsedTime", PTR, PTR, PTR);
        streamCreate = lib.status("cudaStreamCreate", PTR);
        streamSynchronize = lib.status("cudaStreamSynchronize", PTR);
        beginCapture = lib.status("cudaStreamBeginCapture", PTR, INT);
        endCapture = lib.status("cudaStreamEndCapture", PTR, PTR);
        graphInstantiate = lib.status("cudaGraphInstantiate", PTR, PTR, LONG);
        graphLaunch = lib.status("cudaGraphLaunch", PTR, PTR);
    }

    void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed: CUDA runtime error " + status + " (" + errorText(status) + ")");
        }
    }

    String errorText(int status) {
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(status);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "no error text";
        }
    }

    /** The number of CUDA devices, or the runtime's status as a negative number when it cannot tell (no driver, no device). */
    int deviceCountOrError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(INT);
            int status = (int) getDeviceCount.invokeExact(count);
            return status == 0 ? count.get(INT, 0) : -status;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void setDevice(int device) {
        try {
            check((int) setDevice.invokeExact(device), "cudaSetDevice(" + device + ")");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    int attribute(int attribute, int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(INT);
            check((int) deviceAttribute.invokeExact(value, attribute, device), "cudaDeviceGetAttribute(" + attribute + ")");
            return value.get(INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    int runtimeVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(INT);
            check((int) runtimeVersion.invokeExact(value), "cudaRuntimeGetVersion");
            return value.get(INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Device memory of {@code bytes} bytes (at least 1, so that empty arrays have an address too). */
    MemorySegment malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            int status = (int) malloc.invokeExact(out, Math.max(1, bytes));
            check(status, "cudaMalloc(" + bytes + " bytes)");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void free(MemorySegment pointer) {
        try {
            check((int) free.invokeExact(pointer), "cudaFree");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Copies {@code bytes} bytes; host segments may be heap segments over Java arrays. */
    void memcpy(MemorySegment dst, MemorySegment src, long bytes, int kind) {
        if (bytes == 0) {
            return;
        }
        try {
            check((int) memcpy.invokeExact(dst, src, bytes, kind), "cudaMemcpy(" + bytes + " bytes, kind " + kind + ")");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void memset(MemorySegment dst, int value, long bytes) {
        if (bytes == 0) {
            return;
        }
        try {
            check((int) memset.invokeExact(dst, value, bytes), "cudaMemset");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void synchronize() {
        try {
            check((int) synchronize.invokeExact(), "cudaDeviceSynchronize");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MemorySegment eventCreate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) eventCreate.invokeExact(out), "cudaEventCreate");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void eventRecord(MemorySegment event) {
        try {
            check((int) eventRecord.invokeExact(event, MemorySegment.NULL), "cudaEventRecord");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Milliseconds between two recorded events, waiting for the second. */
    float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena arena = Arena.ofConfined()) {
            check((int) eventSynchronize.invokeExact(end), "cudaEventSynchronize");
            MemorySegment ms = arena.allocate(FLOAT);
            check((int) eventElapsed.invokeExact(ms, start, end), "cudaEventElapsedTime");
            return ms.get(FLOAT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * A blocking stream: it synchronises with the legacy default stream, so the runtime's plain
     * copies and cuSOLVER (default stream) stay ordered with the kernels and GEMMs queued on it.
     */
    MemorySegment streamCreate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) streamCreate.invokeExact(out), "cudaStreamCreate");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void streamSynchronize(MemorySegment stream) {
        try {
            check((int) streamSynchronize.invokeExact(stream), "cudaStreamSynchronize");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Starts recording the work queued on {@code stream} into a graph (relaxed capture mode). */
    void beginCapture(MemorySegment stream) {
        try {
            check((int) beginCapture.invokeExact(stream, 2), "cudaStreamBeginCapture");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Ends the capture and instantiates the recorded graph for launching. */
    MemorySegment endCaptureAndInstantiate(MemorySegment stream) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment graph = arena.allocate(PTR);
            check((int) endCapture.invokeExact(stream, graph), "cudaStreamEndCapture");
            MemorySegment exec = arena.allocate(PTR);
            check((int) graphInstantiate.invokeExact(exec, graph.get(PTR, 0), 0L), "cudaGraphInstantiate");
            return exec.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void graphLaunch(MemorySegment exec, MemorySegment stream) {
        try {
            check((int) graphLaunch.invokeExact(exec, stream), "cudaGraphLaunch");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
