package dev.hyperkron.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every differentiable op: first derivatives and Hessian-vector products agree with F64 finite differences. */
class OpGradientProperties {
    private static final double TOLERANCE = 1e-6;

    @Provide
    Arbitrary<OpCase> ops() {
        return Arbitraries.of(OpCases.all());
    }

    @Property(tries = 400)
    void gradientsMatchFiniteDifferences(@ForAll("ops") OpCase op, @ForAll long seed) {
        GradCheck.checkGradient(op.f(), op.inputs().apply(new Rng(seed))).assertPasses(TOLERANCE);
    }

    @Property(tries = 400)
    void hessianVectorProductsMatchFiniteDifferencesOfGradients(@ForAll("ops") OpCase op, @ForAll long seed) {
        Rng rng = new Rng(seed);
        List<Tensor> inputs = op.inputs().apply(rng);
        List<Tensor> direction = new ArrayList<>();
        for (Tensor x : inputs) {
            direction.add(OpCase.normal(rng, x.shape().dims()));
        }
        GradCheck.checkHvp(op.f(), inputs, direction).assertPasses(TOLERANCE);
    }

    @Test
    void everyOpPassesBothChecksForAFixedSeed() {
        List<String> failures = new ArrayList<>();
        for (OpCase op : OpCases.all()) {
            for (long seed = 1; seed <= 3; seed++) {
                Rng rng = new Rng(seed);
                List<Tensor> inputs = op.inputs().apply(rng);
                List<Tensor> direction = new ArrayList<>();
                for (Tensor x : inputs) {
                    direction.add(OpCase.normal(rng, x.shape().dims()));
                }
                GradCheck.Report g = GradCheck.checkGradient(op.f(), inputs);
                GradCheck.Report h = GradCheck.checkHvp(op.f(), inputs, direction);
                if (!g.passes(TOLERANCE)) {
                    failures.add(op + " seed " + seed + ": " + g);
                }
                if (!h.passes(TOLERANCE)) {
                    failures.add(op + " seed " + seed + ": " + h);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
