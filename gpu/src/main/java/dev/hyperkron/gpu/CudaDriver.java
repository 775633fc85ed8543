package dev.hyperkron.gpu;

import static dev.hyperkron.gpu.Native.INT;
import static dev.hyperkron.gpu.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver (libcuda) functions for run-time compiled code: load a module, find a kernel,
 * launch it; plus binding the device's primary context (the one the runtime and cuBLAS use) to a thread.
 */
final class CudaDriver {
    private final MethodHandle init;
    private final MethodHandle deviceGet;
    private final MethodHandle deviceName;
    private final MethodHandle primaryContextRetain;
    private final MethodHandle contextSetCurrent;
    private final MethodHandle moduleLoadData;
    private final MethodHandle moduleGetFunction;
    private final MethodHandle launchKernel;
    private final MethodHandle errorString;

    CudaDriver(SymbolLookup lookup) {
        Native lib = new Native(lookup, "libcuda");
        init = lib.status("cuInit", INT);
        deviceGet = lib.status("cuDeviceGet", PTR, INT);
        deviceName = lib.status("cuDeviceGetName", PTR, INT, INT);
        primaryContextRetain = lib.status("cuDevicePrimaryCtxRetain", PTR, INT);
        contextSetCurrent = lib.status("cuCtxSetCurrent", PTR);
        moduleLoadData = lib.status("cuModuleLoadData", PTR, PTR);
        moduleGetFunction = lib.status("cuModuleGetFunction", PTR, PTR, PTR);
        launchKernel = lib.status("cuLaunchKernel", PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR);
        errorString = lib.handle("cuGetErrorString", FunctionDescriptor.of(INT, INT, PTR));
    }

    void check(int status, String call) {
        if (status != 0) {
            String text = "no error text";
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(PTR);
                if ((int) errorString.invokeExact(status, out) == 0) {
                    text = out.get(PTR, 0).reinterpret(256).getString(0);
                }
            } catch (Throwable ignored) {
                // keep the code alone
            }
            throw new CudaException(call + " failed: CUDA driver error " + status + " (" + text + ")");
        }
    }

    void init() {
        try {
            check((int) init.invokeExact(0), "cuInit");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    int device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(INT);
            check((int) deviceGet.invokeExact(out, ordinal), "cuDeviceGet(" + ordinal + ")");
            return out.get(INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(256);
            check((int) deviceName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MemorySegment retainPrimaryContext(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) primaryContextRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void setCurrent(MemorySegment context) {
        try {
            check((int) contextSetCurrent.invokeExact(context), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MemorySegment loadModule(byte[] image) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(image.length + 1L);
            data.copyFrom(MemorySegment.ofArray(image));
            MemorySegment out = arena.allocate(PTR);
            check((int) moduleLoadData.invokeExact(out, data), "cuModuleLoadData");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PTR);
            check((int) moduleGetFunction.invokeExact(out, module, arena.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return out.get(PTR, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Launches on {@code stream}; {@code params} is the array of pointers to each argument. */
    void launch(MemorySegment function, int gridX, int gridY, int blockX, int sharedBytes, MemorySegment stream,
                MemorySegment params, String name) {
        try {
            check((int) launchKernel.invokeExact(function, gridX, gridY, 1, blockX, 1, 1, sharedBytes,
                    stream, params, MemorySegment.NULL), "cuLaunchKernel(" + name + ")");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
