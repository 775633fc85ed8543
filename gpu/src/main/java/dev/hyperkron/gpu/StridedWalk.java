package dev.hyperkron.gpu;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

import dev.hyperkron.core.Strided;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * core's {@link Strided} walk as the by-value {@code struct Walk} argument of the strided kernels in
 * {@code kernels.cu} (copy_walk, binary_walk, select_walk): {@link #LAYOUT} is the one Java
 * statement of that struct, and a test compares it with the C declaration. A walk of more than
 * {@link #MAX_RANK} axes (Strided merges contiguous axes, so only a tensor of rank 9 or more
 * whose axes do not merge has one) becomes one launch per index of its leading axes.
 */
final class StridedWalk {
    /** Axes one launch walks: HK_WALK_RANK in kernels.cu. */
    static final int MAX_RANK = 8;
    /** Operands one launch walks (select's condition, two inputs and the output): HK_WALK_OPERANDS. */
    static final int MAX_OPERANDS = 4;

    /** {@code struct Walk { int rank; int dims[8]; int strides[4][8]; int offsets[4]; }}. */
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("rank"),
            MemoryLayout.sequenceLayout(MAX_RANK, ValueLayout.JAVA_INT).withName("dims"),
            MemoryLayout.sequenceLayout(MAX_OPERANDS, MemoryLayout.sequenceLayout(MAX_RANK, ValueLayout.JAVA_INT))
                    .withName("strides"),
            MemoryLayout.sequenceLayout(MAX_OPERANDS, ValueLayout.JAVA_INT).withName("offsets")).withName("Walk");

    private static final int INTS = (int) (LAYOUT.byteSize() / Integer.BYTES);
    private static final int RANK = intIndex(LAYOUT.byteOffset(groupElement("rank")));
    private static final int DIMS = intIndex(LAYOUT.byteOffset(groupElement("dims")));
    private static final int OFFSETS = intIndex(LAYOUT.byteOffset(groupElement("offsets")));
    private static final int[][] STRIDES = new int[MAX_OPERANDS][MAX_RANK];

    static {
        for (int k = 0; k < MAX_OPERANDS; k++) {
            for (int i = 0; i < MAX_RANK; i++) {
                STRIDES[k][i] = intIndex(LAYOUT.byteOffset(groupElement("strides"), sequenceElement(k), sequenceElement(i)));
            }
        }
    }

    private StridedWalk() {
    }

    /** Receives one launch: its walk struct and the number of elements it covers. */
    @FunctionalInterface
    interface Launch {
        void run(CudaModule.Struct walk, long n);
    }

    /**
     * Calls {@code launch} once for a walk of at most {@link #MAX_RANK} axes, else once per index of
     * the leading axes beyond that (each a walk over the trailing {@link #MAX_RANK} axes, from
     * offsets moved to that index); never for an empty walk.
     */
    static void forEachLaunch(Strided walk, Launch launch) {
        if (walk.operands() > MAX_OPERANDS) {
            throw new IllegalArgumentException("a CUDA walk has at most " + MAX_OPERANDS + " operands, got " + walk);
        }
        if (walk.size() == 0) {
            return;
        }
        int lead = Math.max(0, walk.rank() - MAX_RANK);
        long outer = 1;
        long n = 1;
        for (int i = 0; i < walk.rank(); i++) {
            if (i < lead) {
                outer *= walk.dim(i);
            } else {
                n *= walk.dim(i);
            }
        }
        int[] index = new int[lead];
        for (long o = 0; o < outer; o++) {
            launch.run(pack(walk, lead, index), n);
            for (int i = lead - 1; i >= 0; i--) {
                if (++index[i] < walk.dim(i)) {
                    break;
                }
                index[i] = 0;
            }
        }
    }

    /** The struct for axes [lead, rank) of {@code walk}, with offsets moved to {@code index} on the leading axes. */
    static CudaModule.Struct pack(Strided walk, int lead, int[] index) {
        int[] v = new int[INTS];
        int rank = walk.rank() - lead;
        v[RANK] = rank;
        for (int i = 0; i < rank; i++) {
            v[DIMS + i] = walk.dim(lead + i);
        }
        for (int k = 0; k < walk.operands(); k++) {
            long offset = walk.offset(k);
            for (int i = 0; i < lead; i++) {
                offset += (long) index[i] * walk.stride(k, i);
            }
            v[OFFSETS + k] = Math.toIntExact(offset);
            for (int i = 0; i < rank; i++) {
                v[STRIDES[k][i]] = walk.stride(k, lead + i);
            }
        }
        return new CudaModule.Struct(v);
    }

    /**
     * The least and greatest element position operand {@code k} of {@code walk} touches (a non-empty
     * walk), for bounds checks before a launch.
     */
    static long[] extent(Strided walk, int k) {
        long lo = walk.offset(k);
        long hi = lo;
        for (int i = 0; i < walk.rank(); i++) {
            long reach = (long) (walk.dim(i) - 1) * walk.stride(k, i);
            if (reach < 0) {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        return new long[] {lo, hi};
    }

    private static int intIndex(long byteOffset) {
        return (int) (byteOffset / Integer.BYTES);
    }
}
