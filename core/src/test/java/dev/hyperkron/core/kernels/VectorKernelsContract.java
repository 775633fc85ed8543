package dev.hyperkron.core.kernels;

import dev.hyperkron.core.kernels.RandomValues.Mix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The kernel contract plus agreement with the scalar kernels of the same type: switching the
 * process between {@code hyperkron.kernels=vector} and {@code scalar} must change results by no
 * more than the contract's tolerances (and not at all for exact operations).
 */
abstract class VectorKernelsContract<A> extends TypedKernelsContract<A> {

    abstract TypedKernels<A> scalarKernels();

    @Property
    void unaryAgreesWithTheScalarKernels(@ForAll UnaryOp op, @ForAll("lengths") int n, @ForAll long seed) {
        double[] x = values(seed).padded(0, n, 0, Mix.ANY, 0);
        A fromVector = type().of(new double[n]);
        A fromScalar = type().of(new double[n]);
        kernels().unary(op, type().of(x), 0, fromVector, 0, n);
        scalarKernels().unary(op, type().of(x), 0, fromScalar, 0, n);
        agree(fromVector, fromScalar, ulps(op), op.toString());
    }

    @Property
    void binaryAgreesWithTheScalarKernels(@ForAll BinaryOp op, @ForAll("lengths") int n,
                                          @ForAll @IntRange(max = 1) int aInc, @ForAll @IntRange(max = 1) int bInc,
                                          @ForAll boolean ties, @ForAll long seed) {
        RandomValues rnd = values(seed);
        Mix mix = ties ? Mix.POOL : Mix.ANY;
        A a = type().of(rnd.padded(0, operandLength(n, aInc), 0, mix, 0));
        A b = type().of(rnd.padded(0, operandLength(n, bInc), 0, mix, 0));
        A fromVector = type().of(new double[n]);
        A fromScalar = type().of(new double[n]);
        kernels().binary(op, a, 0, aInc, b, 0, bInc, fromVector, 0, n);
        scalarKernels().binary(op, a, 0, aInc, b, 0, bInc, fromScalar, 0, n);
        agree(fromVector, fromScalar, ulps(op), op + " with increments " + aInc + ", " + bInc);
    }

    @Property
    void selectAgreesWithTheScalarKernels(@ForAll("lengths") int n, @ForAll @IntRange(max = 1) int cInc,
                                          @ForAll @IntRange(max = 1) int aInc, @ForAll @IntRange(max = 1) int bInc,
                                          @ForAll long seed) {
        RandomValues rnd = values(seed);
        A cond = type().of(rnd.padded(0, operandLength(n, cInc), 0, Mix.POOL, 0));
        A a = type().of(rnd.padded(0, operandLength(n, aInc), 0, Mix.ANY, 0));
        A b = type().of(rnd.padded(0, operandLength(n, bInc), 0, Mix.ANY, 0));
        A fromVector = type().of(new double[n]);
        A fromScalar = type().of(new double[n]);
        kernels().select(cond, 0, cInc, a, 0, aInc, b, 0, bInc, fromVector, 0, n);
        scalarKernels().select(cond, 0, cInc, a, 0, aInc, b, 0, bInc, fromScalar, 0, n);
        agree(fromVector, fromScalar, 0, "where");
    }

    @Property
    void reduceAgreesWithTheScalarKernels(@ForAll ReduceOp op, @ForAll @IntRange(max = 3) int outer,
                                          @ForAll("reducedLengths") int len, @ForAll("innerSizes") int inner,
                                          @ForAll long seed) {
        double[] values = values(seed).padded(0, outer * len * inner, 0, op == ReduceOp.SUM ? Mix.MODERATE : Mix.ANY, 0);
        A x = type().of(values);
        A fromVector = type().of(new double[outer * inner]);
        A fromScalar = type().of(new double[outer * inner]);
        kernels().reduce(op, x, 0, outer, len, inner, fromVector, 0);
        scalarKernels().reduce(op, x, 0, outer, len, inner, fromScalar, 0);
        double[] v = type().values(fromVector);
        double[] s = type().values(fromScalar);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double magnitude = 0;
                for (int r = 0; r < len; r++) {
                    magnitude += Math.abs(values[(o * len + r) * inner + i]);
                }
                int at = o * inner + i;
                String what = op + " over [" + outer + ", " + len + ", " + inner + "] at " + at;
                if (op == ReduceOp.SUM) {
                    expectWithin(v[at], s[at], summationError(len, magnitude), () -> what);
                } else {
                    expect(v[at], s[at], 0, () -> what);
                }
            }
        }
    }

    @Property
    void dotAgreesWithTheScalarKernels(@ForAll("lengths") int n, @ForAll long seed) {
        RandomValues rnd = values(seed);
        double[] a = rnd.padded(0, n, 0, Mix.MODERATE, 0);
        double[] b = rnd.padded(0, n, 0, Mix.MODERATE, 0);
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            magnitude += Math.abs(a[i] * b[i]);
        }
        double fromVector = kernels().dot(type().of(a), 0, type().of(b), 0, n);
        double fromScalar = scalarKernels().dot(type().of(a), 0, type().of(b), 0, n);
        expectWithin(fromVector, fromScalar, 2 * summationError(n + 1, magnitude), () -> "dot of length " + n);
    }

    private void agree(A fromVector, A fromScalar, int ulps, String what) {
        double[] v = type().values(fromVector);
        double[] s = type().values(fromScalar);
        for (int i = 0; i < v.length; i++) {
            int at = i;
            expect(v[i], s[i], ulps, () -> what + " at " + at + " (vector vs scalar)");
        }
    }
}
