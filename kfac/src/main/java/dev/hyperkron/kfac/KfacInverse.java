package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;

/**
 * The inverse of damped KFAC curvature in closed form, layer by layer (MATH.md section 4): no
 * Hessian-vector product at all, two small matrix products per layer and vector. Factor
 * inverses (or eigenbases) are computed once, at construction, and reused for every vector.
 *
 * <p>Damping strategies: {@link Damping#HEURISTIC} inverts the product of separately damped
 * factors, balancing the damping by Martens and Grosse's pi; {@link Damping#EXACT} inverts
 * (G kron A + delta I) exactly through the factors' eigendecompositions. A factor whose damped
 * Cholesky factorization fails (factorization runs in F64 whatever the factor's dtype) is
 * inverted through its eigendecomposition with eigenvalues clamped at {@code minDamping}.
 */
public final class KfacInverse implements IhvpSolver {

    /** How damping enters the inverse. */
    public enum Damping {
        /** (G + (sqrt(delta)/pi) I)^{-1} kron (A + pi sqrt(delta) I)^{-1}, each damping floored at minDamping. */
        HEURISTIC,
        /** (G kron A + delta I)^{-1} via eigendecompositions of A and G. */
        EXACT
    }

    private final KfacOperator kfac;
    private final double damping;
    private final List<LayerInverse> layers = new ArrayList<>();
    private int eigenFallbacks;

    /** The inverse of one layer's damped block, applied to its weight matrix (and separate bias). */
    private interface LayerInverse {
        void apply(ParamVector v, Tensor[] out);

        long storedElements();
    }

    private KfacInverse(KfacOperator kfac, double damping, Damping strategy, double minDamping) {
        if (!(damping >= 0) || !(minDamping >= 0)) {
            throw new IllegalArgumentException("damping and minDamping must be >= 0, got " + damping + " and " + minDamping);
        }
        this.kfac = kfac;
        this.damping = damping;
        for (KroneckerFactors f : kfac.factors()) {
            layers.add(strategy == Damping.HEURISTIC ? heuristic(f, minDamping) : exact(f, minDamping));
        }
    }

    /** The inverse of KFAC + damping with the given strategy and a floor on each factor's damping. */
    public static KfacInverse of(KfacOperator kfac, double damping, Damping strategy, double minDamping) {
        return new KfacInverse(kfac, damping, strategy, minDamping);
    }

    /** Heuristic damping with no floor. */
    public static KfacInverse of(KfacOperator kfac, double damping) {
        return new KfacInverse(kfac, damping, Damping.HEURISTIC, 0);
    }

    /** How many factors had to be inverted through a clamped eigendecomposition. */
    public int eigenFallbacks() {
        return eigenFallbacks;
    }

    @Override
    public ParamVector solve(ParamVector v) {
        return Blockwise.apply(kfac.layout(), v, kfac.uncoveredIndices(), 1.0 / (1.0 + damping), out -> {
            for (LayerInverse layer : layers) {
                layer.apply(v, out);
            }
        });
    }

    @Override
    public long storedElements() {
        long n = 0;
        for (LayerInverse l : layers) {
            n += l.storedElements();
        }
        return n;
    }

    private LayerInverse heuristic(KroneckerFactors f, double minDamping) {
        LayerBlock block = f.block();
        double pi = pi(f.a(), f.g());
        double root = Math.sqrt(damping);
        Tensor aInv = dampedInverse(f.a(), Math.max(pi * root, minDamping), "A", block, minDamping);
        Tensor gInv = dampedInverse(f.g(), Math.max(root / pi, minDamping), "G", block, minDamping);
        Tensor biasInv = block.separateBias() ? dampedInverse(f.g(), Math.max(damping, minDamping), "G (bias)", block, minDamping)
                : null;
        return new LayerInverse() {
            @Override
            public void apply(ParamVector v, Tensor[] out) {
                block.putMatrix(gInv.matmul(block.matrix(v)).matmul(aInv), out);
                if (biasInv != null) {
                    block.putBias(biasInv.matmul(block.biasColumn(v)), out);
                }
            }

            @Override
            public long storedElements() {
                return (long) aInv.size() + gInv.size() + (biasInv == null ? 0 : biasInv.size());
            }
        };
    }

    private LayerInverse exact(KroneckerFactors f, double minDamping) {
        LayerBlock block = f.block();
        DType dtype = f.a().dtype();
        SymmetricEigen ea = SymmetricEigen.of(f.a());
        SymmetricEigen eg = SymmetricEigen.of(f.g());
        KroneckerEigenbasis basis = new KroneckerEigenbasis(eg.eigenvectors(), ea.eigenvectors());
        Tensor la = ea.eigenvalues().cast(DType.F64);
        Tensor lg = eg.eigenvalues().cast(DType.F64);
        Tensor denominators = lg.reshape(lg.size(), 1).mul(la.reshape(1, la.size())).add(damping);
        Tensor scale = reciprocalClamped(denominators, minDamping, block, "G kron A").cast(dtype);
        Tensor biasScale = block.separateBias()
                ? reciprocalClamped(lg.add(damping), minDamping, block, "G (bias)").cast(dtype).reshape(lg.size(), 1) : null;
        return new LayerInverse() {
            @Override
            public void apply(ParamVector v, Tensor[] out) {
                block.putMatrix(basis.scaled(block.matrix(v), scale), out);
                if (biasScale != null) {
                    Tensor b = basis.qg().matmul(block.biasColumn(v), true, false).mul(biasScale);
                    block.putBias(basis.qg().matmul(b), out);
                }
            }

            @Override
            public long storedElements() {
                return basis.storedElements() + scale.size() + (biasScale == null ? 0 : biasScale.size());
            }
        };
    }

    /** pi = sqrt((tr(A) / dim A) / (tr(G) / dim G)); 1 when either trace vanishes. */
    static double pi(Tensor a, Tensor g) {
        double ta = trace(a) / a.dim(0);
        double tg = trace(g) / g.dim(0);
        return ta > 0 && tg > 0 ? Math.sqrt(ta / tg) : 1.0;
    }

    static double trace(Tensor m) {
        double t = 0;
        int n = m.dim(0);
        for (int i = 0; i < n; i++) {
            t += m.get(i, i);
        }
        return t;
    }

    private Tensor dampedInverse(Tensor factor, double d, String name, LayerBlock block, double minDamping) {
        DampedFactorInverse inv = DampedFactorInverse.of(factor, d, minDamping,
                "KFAC factor " + name + " of layer '" + block.path() + "'");
        if (inv.clamped()) {
            eigenFallbacks++;
        }
        return inv.inverse();
    }

    private static Tensor reciprocalClamped(Tensor denominators, double minDamping, LayerBlock block, String what) {
        double smallest = denominators.min().item();
        if (!(smallest > 0) && !(minDamping > 0)) {
            throw new IllegalArgumentException("KFAC block " + what + " of layer '" + block.path()
                    + "' is singular after damping (smallest eigenvalue " + smallest + "); use a positive damping or minDamping");
        }
        return denominators.maximum(Tensor.scalar(DType.F64, minDamping)).reciprocal();
    }
}
