package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 *
 * <p>A factor built from at most half as many examples as its dimension (a wide layer on a
 * small batch) is held as rows (see {@link FactorMatrix}); its damped inverse is then applied
 * by the Woodbury identity and its eigenbasis covers only its nonzero eigenvalues, where the
 * rest of the space is damped by delta alone. Both factor only a rows x rows matrix.
 */
public final class KfacInverse implements InverseOperator {

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
        void apply(Params v, Map<String, Tensor> out);

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
    public java.util.List<String> warnings() {
        return InverseOperator.barelyDamped(name(), damping);
    }

    @Override
    public String name() {
        return "KFAC inverse";
    }

    @Override
    public Params apply(Params v) {
        return Blockwise.apply(kfac.domain(), v, kfac.uncoveredParameters(), 1.0 / (1.0 + damping), out -> {
            for (LayerInverse layer : layers) {
                layer.apply(v, out);
            }
        });
    }

    @Override
    public Params domain() {
        return kfac.domain();
    }

    @Override
    public long storedBytes() {
        long n = 0;
        for (LayerInverse l : layers) {
            n += l.storedElements();
        }
        return n * kfac.domain().dtype().byteSize();
    }

    private LayerInverse heuristic(KroneckerFactors f, double minDamping) {
        LayerBlock block = f.block();
        double pi = pi(f.aMatrix(), f.gMatrix());
        double root = Math.sqrt(damping);
        DampedFactorInverse aInv = dampedInverse(f.aMatrix(), Math.max(pi * root, minDamping), "A", block, minDamping);
        DampedFactorInverse gInv = dampedInverse(f.gMatrix(), Math.max(root / pi, minDamping), "G", block, minDamping);
        DampedFactorInverse biasInv = block.separateBias()
                ? dampedInverse(f.gMatrix(), Math.max(damping, minDamping), "G (bias)", block, minDamping) : null;
        return new LayerInverse() {
            @Override
            public void apply(Params v, Map<String, Tensor> out) {
                block.putMatrix(aInv.rightMultiply(gInv.leftMultiply(block.matrix(v))), out);
                if (biasInv != null) {
                    block.putBias(biasInv.leftMultiply(block.biasColumn(v)), out);
                }
            }

            @Override
            public long storedElements() {
                return aInv.storedElements() + gInv.storedElements() + (biasInv == null ? 0 : biasInv.storedElements());
            }
        };
    }

    private LayerInverse exact(KroneckerFactors f, double minDamping) {
        LayerBlock block = f.block();
        DType dtype = f.aMatrix().dtype();
        FactorEigen ea = FactorEigen.of(f.aMatrix());
        FactorEigen eg = FactorEigen.of(f.gMatrix());
        Tensor lg = eg.values();
        Tensor denominators = lg.reshape(lg.size(), 1).mul(ea.values().reshape(1, ea.values().size())).add(damping);
        // The eigenvalues are on the host; the scales join the eigenvectors on the factors' device.
        Device device = ea.vectors().device();
        Tensor scale = reciprocalClamped(denominators, minDamping, block, "G kron A").to(device);
        Tensor biasScale = block.separateBias()
                ? reciprocalClamped(lg.add(damping), minDamping, block, "G (bias)").reshape(lg.size(), 1).to(device) : null;
        if (ea.complete() && eg.complete()) {
            return exactInBasis(block, new KroneckerEigenbasis(eg.vectors(), ea.vectors()), scale.cast(dtype),
                    biasScale == null ? null : biasScale.cast(dtype));
        }
        return exactWithNullSpace(block, ea, eg, scale, biasScale, complementScale(minDamping, block));
    }

    private static LayerInverse exactInBasis(LayerBlock block, KroneckerEigenbasis basis, Tensor scale, Tensor biasScale) {
        return new LayerInverse() {
            @Override
            public void apply(Params v, Map<String, Tensor> out) {
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

    /**
     * A factor held as rows has eigenvalue zero off its eigenvectors, where the damped block is
     * delta I: the inverse is V / delta plus a correction inside the eigenvectors' span,
     * Q_G [(Q_G^T V Q_A) .* (scale - 1/delta)] Q_A^T.
     */
    private static LayerInverse exactWithNullSpace(LayerBlock block, FactorEigen ea, FactorEigen eg, Tensor scale,
                                                   Tensor biasScale, double complement) {
        DType dtype = ea.vectors().dtype();
        Tensor qa = ea.vectors();
        Tensor qg = eg.vectors();
        Tensor correction = scale.sub(complement).cast(dtype);
        Tensor biasCorrection = biasScale == null ? null : biasScale.sub(complement).cast(dtype);
        return new LayerInverse() {
            @Override
            public void apply(Params v, Map<String, Tensor> out) {
                Tensor m = block.matrix(v);
                Tensor rotated = qg.matmul(m, true, false).matmul(qa).mul(correction);
                block.putMatrix(qg.matmul(rotated).matmul(qa, false, true).add(m.mul(complement)), out);
                if (biasCorrection != null) {
                    Tensor b = block.biasColumn(v);
                    block.putBias(qg.matmul(qg.matmul(b, true, false).mul(biasCorrection)).add(b.mul(complement)), out);
                }
            }

            @Override
            public long storedElements() {
                return qa.size() + qg.size() + correction.size() + (biasCorrection == null ? 0 : biasCorrection.size());
            }
        };
    }

    /** 1 / max(delta, minDamping): the inverse on the null space of a factor held as rows. */
    private double complementScale(double minDamping, LayerBlock block) {
        double floor = Math.max(damping, minDamping);
        if (!(floor > 0)) {
            throw new IllegalArgumentException("KFAC block G kron A of layer '" + block.path() + "' is singular after damping "
                    + "(a factor built from fewer examples than its dimension has a null space); use a positive damping "
                    + "or minDamping");
        }
        return 1.0 / floor;
    }

    /** pi = sqrt((tr(A) / dim A) / (tr(G) / dim G)); 1 when either trace vanishes. */
    static double pi(FactorMatrix a, FactorMatrix g) {
        double ta = a.trace() / a.dim();
        double tg = g.trace() / g.dim();
        return ta > 0 && tg > 0 ? Math.sqrt(ta / tg) : 1.0;
    }

    private DampedFactorInverse dampedInverse(FactorMatrix factor, double d, String name, LayerBlock block,
                                              double minDamping) {
        DampedFactorInverse inv = DampedFactorInverse.of(factor, d, minDamping,
                "KFAC factor " + name + " of layer '" + block.path() + "'");
        if (inv.clamped()) {
            eigenFallbacks++;
        }
        return inv;
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
