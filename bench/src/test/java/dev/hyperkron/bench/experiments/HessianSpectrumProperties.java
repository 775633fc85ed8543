package dev.hyperkron.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LinearOperator;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Lanczos finds the extreme eigenvalues of symmetric (also indefinite) matrices, checked against EJML. */
class HessianSpectrumProperties {

    @Property(tries = 25)
    void lanczosWithAsManyStepsAsDimensionsFindsTheExtremeEigenvalues(@ForAll @IntRange(min = 1, max = 30) int n,
                                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        DMatrixRMaj b = new DMatrixRMaj(n, n, true, Tensor.randn(rng, DType.F64, n, n).toDoubleArray());
        DMatrixRMaj symmetric = new DMatrixRMaj(n, n);
        CommonOps_DDRM.add(b, CommonOps_DDRM.transpose(b, null), symmetric);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        assertTrue(eig.decompose(symmetric.copy()));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, eig.getEigenvalue(i).real);
            max = Math.max(max, eig.getEigenvalue(i).real);
        }
        int half = n / 2;
        Params layout = Params.constants(List.of("a", "b"),
                List.of(Tensor.zeros(DType.F64, half), Tensor.zeros(DType.F64, n - half)));
        LinearOperator op = LinearOperator.dense(layout, Tensor.of(symmetric.getData(), n, n));
        HessianSpectrum spectrum = HessianSpectrum.lanczos(op, n, new Rng(seed + 1));
        double scale = Math.max(1, Math.max(Math.abs(min), Math.abs(max)));
        assertEquals(min, spectrum.smallest(), 1e-8 * scale);
        assertEquals(max, spectrum.largest(), 1e-8 * scale);
        assertTrue(spectrum.iterations() <= n);
    }
}
