package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over float[] storage with the Vector API; operations without a SIMD path fall
 * back to the scalar loops. The F64 twin is generated from this file at build time.
 *
 * <p>The SIMD loops return how many leading elements they covered (whole vectors only) and the
 * inherited scalar loops finish the tail, so both kernel sets share one definition of the
 * remainder and of every op without a SIMD form.
 */
// Its (float) casts are needed here but redundant in the generated F64 twin, where they read (double).
@SuppressWarnings("cast")
class VectorKernelsF32 extends ScalarKernelsF32 {
    /** The widest vector shape the CPU runs natively; every SIMD loop in this package uses it. */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        int done = VectorUnaryF32.apply(op, x, xOff, out, outOff, n);
        super.unary(op, x, xOff + done, out, outOff + done, n - done);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                       float[] out, int outOff, int n) {
        if (aInc == 0 && bInc == 0) {
            if (n > 0) {
                java.util.Arrays.fill(out, outOff, outOff + n, (float) op.apply(a[aOff], b[bOff]));
            }
            return;
        }
        int done = VectorBinaryF32.apply(op, a, aOff, aInc, b, bOff, bInc, out, outOff, n);
        super.binary(op, a, aOff + done * aInc, aInc, b, bOff + done * bInc, bInc, out, outOff + done, n - done);
    }

    @Override
    public void select(float[] cond, int cOff, int cInc, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                       float[] out, int outOff, int n) {
        int done = VectorBinaryF32.select(cond, cOff, cInc, a, aOff, aInc, b, bOff, bInc, out, outOff, n);
        super.select(cond, cOff + done * cInc, cInc, a, aOff + done * aInc, aInc, b, bOff + done * bInc, bInc,
                out, outOff + done, n - done);
    }

    @Override
    public void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff) {
        VectorReductionsF32.reduce(op, x, xOff, outer, len, inner, out, outOff);
    }

    @Override
    public double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorReductionsF32.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(double alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        // Multiply then add, never fused: the result is bit-identical to the scalar loop.
        FloatVector scale = FloatVector.broadcast(SPECIES, (float) alpha);
        int bound = SPECIES.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(scale)
                    .add(FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        super.axpy(alpha, x, xOff + bound, y, yOff + bound, n - bound);
    }

    @Override
    public void scale(double alpha, float[] x, int xOff, int n) {
        FloatVector scale = FloatVector.broadcast(SPECIES, (float) alpha);
        int bound = SPECIES.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(scale).intoArray(x, xOff + i);
        }
        super.scale(alpha, x, xOff + bound, n - bound);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, double beta,
                     float[] c, int cOff, int ldc) {
        PackedGemmF32.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
