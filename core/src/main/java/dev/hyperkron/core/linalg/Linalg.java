package dev.hyperkron.core.linalg;

import dev.hyperkron.core.Tensor;

/**
 * One-call linear algebra on 2-D F32/F64 tensors, in the spirit of {@code torch.linalg}: each
 * method factors its argument and returns a tensor of the input's dtype. Factor once with
 * {@link Cholesky}, {@link LuDecomposition} or {@link SymmetricEigen} to reuse the work.
 */
public final class Linalg {
    private Linalg() {
    }

    /** The lower Cholesky factor L of an SPD matrix (A = L L^T); throws {@link NotPositiveDefiniteException}. */
    public static Tensor cholesky(Tensor a) {
        return Cholesky.decompose(a).lower();
    }

    /** X with A X = B for SPD A, by Cholesky; B is [n] or [n, k]. */
    public static Tensor spdSolve(Tensor a, Tensor b) {
        return Cholesky.decompose(a).solve(b);
    }

    /** A^{-1} for SPD A, by Cholesky, exactly symmetric. */
    public static Tensor spdInverse(Tensor a) {
        return Cholesky.decompose(a).inverse();
    }

    /** X with A X = B for any nonsingular A, by LU with partial pivoting; throws {@link SingularMatrixException}. */
    public static Tensor solve(Tensor a, Tensor b) {
        return LuDecomposition.of(a).solve(b);
    }

    /** A^{-1} for any nonsingular A, by LU with partial pivoting; throws {@link SingularMatrixException}. */
    public static Tensor inverse(Tensor a) {
        return LuDecomposition.of(a).inverse();
    }

    /** X with op(T) X = B for the given triangle of T, op(T) = T^T when {@code transpose}. */
    public static Tensor solveTriangular(Tensor t, Triangle triangle, boolean transpose, Tensor b) {
        return TriangularSolve.solve(t, triangle, transpose, b);
    }

    /** Ascending eigenvalues and orthonormal eigenvectors (columns) of a symmetric matrix. */
    public static SymmetricEigen eigh(Tensor a) {
        return SymmetricEigen.of(a);
    }
}
