package dev.hyperkron.gpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Device memory kept for reuse, as PyTorch's caching allocator keeps it: a tensor op's output is
 * allocated on every call, and {@code cudaMalloc} costs microseconds while {@code cudaFree} waits
 * for the whole device, which a launch-bound workload (a small MLP's training step) cannot afford.
 * Released blocks go to a free list per size (rounded up to {@value #GRANULE} bytes) instead of
 * back to CUDA. Reuse is safe without events because all of this backend's work is ordered on one
 * stream (plain copies, on the legacy stream, are ordered with it): whatever reads a block before
 * its release is queued before whatever writes it after. When CUDA runs out of memory, the cached
 * blocks are freed and the allocation tried once more.
 */
final class DeviceMemoryPool {
    /** Allocation granularity in bytes (cudaMalloc aligns to at least this). */
    static final long GRANULE = 512;

    private final LongFunction<MemorySegment> malloc;
    private final Consumer<MemorySegment> free;
    private final Map<Long, ArrayDeque<MemorySegment>> cached = new HashMap<>();
    private long cachedBytes;
    private long mallocs;

    DeviceMemoryPool(LongFunction<MemorySegment> malloc, Consumer<MemorySegment> free) {
        this.malloc = malloc;
        this.free = free;
    }

    /** The bytes a request of {@code bytes} takes: a multiple of the granule, at least one. */
    static long blockSize(long bytes) {
        return Math.max(1, (bytes + GRANULE - 1) / GRANULE) * GRANULE;
    }

    /**
     * A block of {@link #blockSize}(bytes) bytes: a cached one of that size, else a new one. When
     * CUDA is out of memory: the cached blocks are freed and it tries again; then, since arrays
     * the program dropped return only when the garbage collector finds them, after a collection.
     */
    MemorySegment acquire(long bytes) {
        long size = blockSize(bytes);
        MemorySegment block = takeCached(size);
        if (block != null) {
            return block;
        }
        try {
            return allocate(size);
        } catch (CudaException outOfMemory) {
            releaseCached();
        }
        try {
            return allocate(size);
        } catch (CudaException stillOutOfMemory) {
            System.gc();
            try {
                Thread.sleep(100); // the cleaner thread releases the collected arrays into the cache
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            releaseCached();
            return allocate(size);
        }
    }

    private synchronized MemorySegment takeCached(long size) {
        ArrayDeque<MemorySegment> blocks = cached.get(size);
        if (blocks == null || blocks.isEmpty()) {
            return null;
        }
        cachedBytes -= size;
        return blocks.pop();
    }

    private MemorySegment allocate(long size) {
        MemorySegment block = malloc.apply(size);
        synchronized (this) {
            mallocs++;
        }
        return block;
    }

    /** Takes back a block that {@link #acquire}(bytes) returned; its contents are garbage from now on. */
    synchronized void release(MemorySegment block, long bytes) {
        long size = blockSize(bytes);
        cached.computeIfAbsent(size, s -> new ArrayDeque<>()).push(block);
        cachedBytes += size;
    }

    /** Returns every cached block to CUDA. */
    synchronized void releaseCached() {
        cached.values().forEach(blocks -> blocks.forEach(free));
        cached.clear();
        cachedBytes = 0;
    }

    /** Bytes held for reuse. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Blocks obtained from CUDA so far (the rest of the acquisitions were served from the cache). */
    synchronized long mallocs() {
        return mallocs;
    }
}
