package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The inverse of damped EKFAC curvature: V -> Q_G [(Q_G^T V Q_A) ./ (s + delta)] Q_A^T per layer,
 * exact for the EKFAC approximation (damping adds to the refitted diagonal directly). Where Q_A
 * covers only A's nonzero eigenvectors, the rest of the space is damped by delta alone:
 * V / delta + Q_G [(Q_G^T V Q_A) .* (1/(s + delta) - 1/delta)] Q_A^T.
 */
public final class EkfacInverse implements InverseOperator {
    private final EkfacOperator ekfac;
    private final double damping;
    private final List<Tensor> inverseScalings = new ArrayList<>();
    private final double complement;

    private EkfacInverse(EkfacOperator ekfac, double damping, double minDamping) {
        if (!(damping >= 0) || !(minDamping >= 0)) {
            throw new IllegalArgumentException("damping and minDamping must be >= 0, got " + damping + " and " + minDamping);
        }
        this.ekfac = ekfac;
        this.damping = damping;
        for (EkfacOperator.Layer l : ekfac.layers()) {
            Tensor denominators = l.scalings().cast(DType.F64).add(damping);
            double smallest = denominators.min().item();
            if (!(smallest > 0) && !(minDamping > 0)) {
                throw new IllegalArgumentException("EKFAC block of layer '" + l.block().path() + "' is singular after damping "
                        + "(smallest scaling " + smallest + "); use a positive damping or minDamping");
            }
            Tensor inverse = denominators.maximum(Tensor.scalar(DType.F64, minDamping)).reciprocal();
            inverseScalings.add((l.partialBasis() ? inverse.sub(complement(l, damping, minDamping)) : inverse)
                    .cast(l.scalings().dtype()));
        }
        this.complement = 1.0 / Math.max(damping, minDamping);
    }

    /** The inverse of EKFAC + damping, with the damped scalings floored at minDamping. */
    public static EkfacInverse of(EkfacOperator ekfac, double damping, double minDamping) {
        return new EkfacInverse(ekfac, damping, minDamping);
    }

    public static EkfacInverse of(EkfacOperator ekfac, double damping) {
        return new EkfacInverse(ekfac, damping, 0);
    }

    @Override
    public java.util.List<String> warnings() {
        return InverseOperator.barelyDamped(name(), damping);
    }

    @Override
    public String name() {
        return "EKFAC inverse";
    }

    @Override
    public Params domain() {
        return ekfac.domain();
    }

    @Override
    public Params apply(Params v) {
        List<EkfacOperator.Layer> layers = ekfac.layers();
        return Blockwise.apply(ekfac.domain(), v, ekfac.uncoveredParameters(), 1.0 / (1.0 + damping), out -> {
            for (int i = 0; i < layers.size(); i++) {
                EkfacOperator.Layer l = layers.get(i);
                Tensor m = l.block().matrix(v);
                Tensor q = l.basis().scaled(m, inverseScalings.get(i));
                l.block().putMatrix(l.partialBasis() ? q.add(m.mul(complement)) : q, out);
            }
        });
    }

    private static double complement(EkfacOperator.Layer l, double damping, double minDamping) {
        double floor = Math.max(damping, minDamping);
        if (!(floor > 0)) {
            throw new IllegalArgumentException("EKFAC block of layer '" + l.block().path() + "' is singular after damping "
                    + "(its input factor was built from fewer examples than inputs); use a positive damping or minDamping");
        }
        return 1.0 / floor;
    }

    @Override
    public long storedBytes() {
        long inverses = 0;
        for (Tensor t : inverseScalings) {
            inverses += (long) t.size() * t.dtype().byteSize();
        }
        return ekfac.storedBytes() + inverses;
    }
}
