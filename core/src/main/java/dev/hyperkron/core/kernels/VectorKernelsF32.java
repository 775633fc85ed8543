package dev.hyperkron.core.kernels;

/**
 * SIMD kernels over float[] storage with the Vector API; operations without a SIMD path fall
 * back to the scalar loops. The F64 twin is generated from this file at build time.
 */
class VectorKernelsF32 extends ScalarKernelsF32 {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, double beta,
                     float[] c, int cOff, int ldc) {
        PackedGemmF32.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
