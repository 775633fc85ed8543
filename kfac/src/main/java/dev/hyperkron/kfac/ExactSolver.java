package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.LuDecomposition;
import java.util.function.UnaryOperator;

/**
 * The exact IHVP: materializes the damped curvature densely in F64 and factors it once
 * (Cholesky for positive definite curvature, LU for indefinite). The reference every other
 * solver is measured against; for small problems only (n^2 memory, n applications to build).
 */
public final class ExactSolver implements InverseOperator {
    /** Dense n x n matrices alive at once while building the factorization. */
    static final int DENSE_COPIES = 3;

    private final Params domain;
    private final UnaryOperator<Tensor> solveFlat;
    private final long stored;

    private ExactSolver(Params domain, UnaryOperator<Tensor> solveFlat, long stored) {
        this.domain = domain;
        this.solveFlat = solveFlat;
        this.stored = stored;
    }

    /**
     * (H + damping I)^{-1} by Cholesky of the symmetric part of the materialized curvature (its
     * columns come from separate applications, which in F32 leave rounding-level asymmetry);
     * fails with a clear message if the damped curvature is not positive definite.
     */
    public static ExactSolver of(LinearOperator operator, double damping) {
        Tensor dense = symmetricPart(damped(operator, damping));
        Cholesky.Result result = Cholesky.tryDecompose(dense);
        if (!result.isPositiveDefinite()) {
            throw new IllegalArgumentException("the damped curvature (damping " + damping + ") is not positive definite: "
                    + result + "; increase the damping or use ExactSolver.indefinite");
        }
        var factor = result.factor();
        return new ExactSolver(operator.domain(), factor::solve, dense.size());
    }

    /** (H + damping I)^{-1} by LU with partial pivoting, for indefinite curvature (fails if singular). */
    public static ExactSolver indefinite(LinearOperator operator, double damping) {
        return byLu(operator.domain(), damped(operator, damping));
    }

    /**
     * (H + damping I)^{-1} whatever the curvature's inertia: Cholesky when the damped curvature
     * is positive definite, LU otherwise (the inner Hessian of a non-convex problem at an
     * approximate solution often is not), one materialization either way; fails only if singular.
     */
    public static ExactSolver general(LinearOperator operator, double damping) {
        Tensor damped = damped(operator, damping);
        Cholesky.Result result = Cholesky.tryDecompose(symmetricPart(damped));
        if (result.isPositiveDefinite()) {
            return new ExactSolver(operator.domain(), result.factor()::solve, damped.size());
        }
        return byLu(operator.domain(), damped);
    }

    private static ExactSolver byLu(Params domain, Tensor dense) {
        LuDecomposition lu = LuDecomposition.of(dense);
        return new ExactSolver(domain, lu::solve, dense.size());
    }

    private static Tensor symmetricPart(Tensor m) {
        return m.add(m.transpose(0, 1)).mul(0.5);
    }

    private static Tensor damped(LinearOperator operator, double damping) {
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("the damping of an exact solve must be finite and >= 0, got " + damping);
        }
        requireHeapFor(operator.domain().numel());
        Tensor dense = operator.toDense();
        return damping == 0 ? dense : dense.add(Tensor.eye(DType.F64, dense.dim(0)).mul(damping));
    }

    /**
     * Refuses (callers may check it before a run starts; every exact solve checks it before any
     * column is computed) a solve over n parameters whose dense matrices cannot be held: a Java
     * array has at most 2^31 - 1 elements, and the materialized, damped and symmetrized copies
     * (about {@value #DENSE_COPIES} of n^2 F64 values) must fit in the heap.
     */
    public static void requireHeapFor(long n) {
        double bytes = DENSE_COPIES * 8.0 * n * n;
        long heap = Runtime.getRuntime().maxMemory();
        if (n * n > Integer.MAX_VALUE || bytes > heap) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "an exact solve over %d parameters "
                    + "materializes %d x %d F64 matrices (about %.1f GB) but %s; use an iterative or KFAC solver, or "
                    + "a smaller model", n, n, n, bytes / 1e9, n * n > Integer.MAX_VALUE
                    ? "a Java array holds at most 2^31 - 1 values" : String.format(java.util.Locale.ROOT,
                    "the heap allows %.1f GB (-Xmx)", heap / 1e9)));
        }
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public Params apply(Params v) {
        domain.requireAligned(v);
        return domain.unflatten(solveFlat.apply(v.flatten().cast(DType.F64)));
    }

    @Override
    public Params domain() {
        return domain;
    }

    @Override
    public long storedBytes() {
        return stored * DType.F64.byteSize();
    }
}
