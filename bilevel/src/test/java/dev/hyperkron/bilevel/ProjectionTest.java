package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionTest {
    private static final Params LAMBDA = Params.leaves(List.of("a", "b"),
            List.of(Tensor.of(new double[] {-2, -0.5, 0, 0.5}), Tensor.of(new double[] {1, 3})));

    private static List<double[]> values(Params p) {
        return p.values().stream().map(Tensor::toDoubleArray).toList();
    }

    @Test
    void oneSidedAndBoxBoundsClampOnlyWhatLiesOutside() {
        List<double[]> atLeast = values(Projection.atLeast(0).apply(LAMBDA));
        assertEquals(List.of("[0.0, 0.0, 0.0, 0.5]", "[1.0, 3.0]"), atLeast.stream().map(java.util.Arrays::toString).toList());
        List<double[]> atMost = values(Projection.atMost(1).apply(LAMBDA));
        assertEquals(List.of("[-2.0, -0.5, 0.0, 0.5]", "[1.0, 1.0]"), atMost.stream().map(java.util.Arrays::toString).toList());
        List<double[]> box = values(Projection.box(-1, 2).apply(LAMBDA));
        assertEquals(List.of("[-1.0, -0.5, 0.0, 0.5]", "[1.0, 2.0]"), box.stream().map(java.util.Arrays::toString).toList());
        assertEquals(LAMBDA.values(), Projection.none().apply(LAMBDA).values());
    }

    @Test
    void projectedValuesAreFreshLeavesWithTheSameNames() {
        Params projected = Projection.atLeast(0).apply(LAMBDA);
        assertEquals(LAMBDA.names(), projected.names());
        for (Var v : projected.vars()) {
            assertTrue(v.requiresGrad() && !v.hasNode());
        }
    }

    @Test
    void fractionAtBoundCountsElementsOnAFiniteBound() {
        // atLeast(0) pins -2, -0.5 and 0 to 0: three of six elements.
        Projection p = Projection.atLeast(0);
        assertEquals(0.5, p.fractionAtBound(p.apply(LAMBDA)));
        assertEquals(0.0, Projection.none().fractionAtBound(LAMBDA));
        // box(-0.5, 1) pins -2 and -0.5 below, 1 and 3 above.
        Projection box = Projection.box(-0.5, 1);
        assertEquals(4.0 / 6, box.fractionAtBound(box.apply(LAMBDA)));
        assertEquals(0.0, p.fractionAtBound(Params.empty()));
    }

    @Test
    void invalidBoundsAreRefused() {
        String message = assertThrows(IllegalArgumentException.class, () -> Projection.box(1, 0)).getMessage();
        assertTrue(message.contains("lower 1.0 and upper 0.0"), message);
        assertThrows(IllegalArgumentException.class, () -> Projection.atLeast(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Projection.atLeast(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Projection.atMost(Double.NEGATIVE_INFINITY));
    }
}
