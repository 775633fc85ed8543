package dev.hyperkron.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled kernels of {@code kernels.cu} and how to launch one: arguments are packed into the
 * pointer array cuLaunchKernel expects (ints, longs, floats, doubles, device pointers, geometry structs).
 */
final class CudaModule {
    static final int THREADS = 256;
    private static final int MAX_BLOCKS = 8192;

    private final CudaDevice device;
    private final MemorySegment module;
    private final ConcurrentHashMap<String, MemorySegment> functions = new ConcurrentHashMap<>();

    CudaModule(CudaDevice device, MemorySegment module) {
        this.device = device;
        this.module = module;
    }

    /** Blocks for a grid-stride loop over n elements. */
    static int blocksFor(long n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
    }

    /** A geometry struct argument: ten ints. */
    record Struct(int... values) {
    }

    void launch(String kernel, int blocks, int sharedBytes, Object... args) {
        MemorySegment function = functions.computeIfAbsent(kernel, k -> device.driver.function(module, k));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(ValueLayout.ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                params.setAtIndex(ValueLayout.ADDRESS, i, value(arena, args[i]));
            }
            device.driver.launch(function, blocks, 1, THREADS, sharedBytes, device.stream, params, kernel);
        }
    }

    private static MemorySegment value(Arena arena, Object arg) {
        if (arg instanceof Integer v) {
            return arena.allocateFrom(ValueLayout.JAVA_INT, v);
        } else if (arg instanceof Long v) {
            return arena.allocateFrom(ValueLayout.JAVA_LONG, v);
        } else if (arg instanceof Float v) {
            return arena.allocateFrom(ValueLayout.JAVA_FLOAT, v);
        } else if (arg instanceof Double v) {
            return arena.allocateFrom(ValueLayout.JAVA_DOUBLE, v);
        } else if (arg instanceof MemorySegment pointer) {
            return arena.allocateFrom(ValueLayout.ADDRESS, pointer);
        } else if (arg instanceof Struct s) {
            return arena.allocateFrom(ValueLayout.JAVA_INT, s.values());
        }
        throw new IllegalArgumentException("cannot pass " + arg + " to a CUDA kernel");
    }
}
