package dev.hyperkron.core.kernels;

import dev.hyperkron.core.kernels.RandomValues.Mix;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The kernel contract plus agreement with the scalar kernels of the same type: switching the
 * process between {@code hyperkron.kernels=vector} and {@code scalar} must change results by no
 * more than the contract's tolerances (and not at all for exact operations).
 */
abstract class VectorKernelsContract<A> extends TypedKernelsContract<A> {
    /** Calls of one kernel after which the JIT has normally compiled its loops. */
    private static final int JIT_REPETITIONS = 3000;

    abstract TypedKernels<A> scalarKernels();

    @Property
    void unaryAgreesWithTheScalarKernels(@ForAll UnaryOp op, @ForAll("lengths") int n, @ForAll long seed) {
        double[] x = values(seed).padded(0, n, 0, Mix.ANY, 0);
        A fromVector = type().of(new double[n]);
        A fromScalar = type().of(new double[n]);
        kernels().unary(op, type().of(x), 0, fromVector, 0, n);
        scalarKernels().unary(op, type().of(x), 0, fromScalar, 0, n);
        // Every unary vector form computes what the scalar loop does, bit for bit: results must not
        // depend on where an element falls in an array (vector body or scalar tail).
        agree(fromVector, fromScalar, 0, op.toString());
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

    /**
     * The Vector API runs Java fallbacks in the interpreter and CPU instructions once the JIT has
     * compiled a loop, and the two must treat NaN, infinities and signed zeros alike. Each kernel is
     * repeated on every pair of special values so the JIT compiles it before the checked run.
     */
    @Example
    void specialValuesKeepTheirSemanticsAfterJitCompilation() {
        double[] specials = type().specials();
        int k = specials.length;
        double[] first = new double[k * k];
        double[] second = new double[k * k];
        for (int i = 0; i < k * k; i++) {
            first[i] = type().round(specials[i % k]);
            second[i] = type().round(specials[i / k]);
        }
        A a = type().of(first);
        A b = type().of(second);
        int n = k * k;
        for (UnaryOp op : UnaryOp.values()) {
            A fromVector = type().of(new double[n]);
            A fromScalar = type().of(new double[n]);
            for (int rep = 0; rep < JIT_REPETITIONS; rep++) {
                kernels().unary(op, a, 0, fromVector, 0, n);
            }
            scalarKernels().unary(op, a, 0, fromScalar, 0, n);
            agree(fromVector, fromScalar, 0, op + " after JIT compilation");
        }
        for (BinaryOp op : BinaryOp.values()) {
            A fromVector = type().of(new double[n]);
            A fromScalar = type().of(new double[n]);
            for (int rep = 0; rep < JIT_REPETITIONS; rep++) {
                kernels().binary(op, a, 0, 1, b, 0, 1, fromVector, 0, n);
            }
            scalarKernels().binary(op, a, 0, 1, b, 0, 1, fromScalar, 0, n);
            agree(fromVector, fromScalar, ulps(op), op + " after JIT compilation");
        }
        A fromVector = type().of(new double[n]);
        A fromScalar = type().of(new double[n]);
        for (int rep = 0; rep < JIT_REPETITIONS; rep++) {
            kernels().select(a, 0, 1, a, 0, 1, b, 0, 1, fromVector, 0, n);
        }
        scalarKernels().select(a, 0, 1, a, 0, 1, b, 0, 1, fromScalar, 0, n);
        agree(fromVector, fromScalar, 0, "where after JIT compilation");
        for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
            // [k, k] reduced along its rows (inner 1) and along its columns (inner k).
            for (int inner : new int[] {1, k}) {
                int outer = k / inner;
                A reducedByVector = type().of(new double[k]);
                A reducedByScalar = type().of(new double[k]);
                for (int rep = 0; rep < JIT_REPETITIONS; rep++) {
                    kernels().reduce(op, a, 0, outer, k, inner, reducedByVector, 0);
                }
                scalarKernels().reduce(op, a, 0, outer, k, inner, reducedByScalar, 0);
                agree(reducedByVector, reducedByScalar, 0, op + " with inner " + inner + " after JIT compilation");
            }
        }
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
