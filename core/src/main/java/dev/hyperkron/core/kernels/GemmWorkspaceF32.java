package dev.hyperkron.core.kernels;

/**
 * One thread's packing buffers for the packed GEMM, kept across calls so that a product does
 * not allocate: a buffer only grows, up to about the cache-block sizes (MC x KC for op(A),
 * KC x NC for op(B)). The F64 twin is generated
 * from this file at build time.
 */
final class GemmWorkspaceF32 {
    private static final ThreadLocal<GemmWorkspaceF32> PER_THREAD = ThreadLocal.withInitial(GemmWorkspaceF32::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    /** The micro-kernel's output before it is scaled into C. */
    final float[] tile = new float[GemmMicroKernelF32.MR * GemmMicroKernelF32.NR];

    private GemmWorkspaceF32() {
    }

    static GemmWorkspaceF32 current() {
        return PER_THREAD.get();
    }

    float[] packedA(int size) {
        if (packedA.length < size) {
            packedA = new float[size];
        }
        return packedA;
    }

    float[] packedB(int size) {
        if (packedB.length < size) {
            packedB = new float[size];
        }
        return packedB;
    }
}
