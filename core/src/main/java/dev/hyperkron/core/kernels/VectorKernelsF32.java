package dev.hyperkron.core.kernels;

/**
 * SIMD kernels over float[] storage with the Vector API; operations without a SIMD path fall
 * back to the scalar loops. The F64 twin is generated from this file at build time.
 */
class VectorKernelsF32 extends ScalarKernelsF32 {
}
