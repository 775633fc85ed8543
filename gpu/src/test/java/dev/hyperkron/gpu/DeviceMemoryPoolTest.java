package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching of device memory, against a fake allocator (runs without a GPU). */
class DeviceMemoryPoolTest {
    /** Hands out distinct fake addresses; fails once {@code capacity} bytes are outstanding. */
    private static final class FakeCuda {
        final List<MemorySegment> freed = new ArrayList<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();
        long capacity = Long.MAX_VALUE;
        long outstanding;
        long next = 1 << 20;

        MemorySegment malloc(long bytes) {
            if (outstanding + bytes > capacity) {
                throw new CudaException("cudaMalloc(" + bytes + " bytes) failed with 2 (out of memory)");
            }
            outstanding += bytes;
            MemorySegment p = MemorySegment.ofAddress(next);
            sizes.put(next, bytes);
            next += bytes;
            return p;
        }

        void free(MemorySegment p) {
            freed.add(p);
            outstanding -= sizes.remove(p.address());
        }
    }

    @Test
    void aReleasedBlockServesTheNextRequestOfItsSizeOnly() {
        FakeCuda cuda = new FakeCuda();
        DeviceMemoryPool pool = new DeviceMemoryPool(cuda::malloc, cuda::free);
        MemorySegment a = pool.acquire(1000);
        pool.release(a, 1000);
        assertEquals(1024, pool.cachedBytes());
        assertNotEquals(a, pool.acquire(5000), "another size class gets another block");
        assertSame(a, pool.acquire(600), "600 bytes round to the same 1024-byte block");
        assertEquals(2, pool.mallocs());
        assertEquals(0, pool.cachedBytes());
        assertEquals(List.of(), cuda.freed, "nothing goes back to CUDA while it has memory");
    }

    @Test
    void sizesRoundUpToTheGranuleAndEmptyArraysStillGetABlock() {
        assertEquals(512, DeviceMemoryPool.blockSize(0));
        assertEquals(512, DeviceMemoryPool.blockSize(1));
        assertEquals(512, DeviceMemoryPool.blockSize(512));
        assertEquals(1024, DeviceMemoryPool.blockSize(513));
    }

    @Test
    void runningOutOfMemoryFreesTheCachedBlocksAndTriesAgain() {
        FakeCuda cuda = new FakeCuda();
        cuda.capacity = 4096;
        DeviceMemoryPool pool = new DeviceMemoryPool(cuda::malloc, cuda::free);
        MemorySegment small = pool.acquire(2048);
        MemorySegment other = pool.acquire(2048);
        pool.release(small, 2048);
        pool.release(other, 2048);
        MemorySegment large = pool.acquire(4096);
        assertEquals(List.of(other, small), cuda.freed.stream().sorted((x, y) -> Long.compare(y.address(), x.address()))
                .toList());
        assertEquals(0, pool.cachedBytes());
        assertNotEquals(small, large);
    }

    @Test
    void whenNothingCanBeFreedTheOutOfMemoryErrorReachesTheCaller() {
        FakeCuda cuda = new FakeCuda();
        cuda.capacity = 1024;
        DeviceMemoryPool pool = new DeviceMemoryPool(cuda::malloc, cuda::free);
        CudaException e = assertThrows(CudaException.class, () -> pool.acquire(2048));
        assertEquals("cudaMalloc(2048 bytes) failed with 2 (out of memory)", e.getMessage());
    }
}
