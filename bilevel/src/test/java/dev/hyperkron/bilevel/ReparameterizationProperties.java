package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.GradCheck;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class ReparameterizationProperties {

    /**
     * A value inside the domain of {@code r}, spread over twelve decades: 10^e (negated too for
     * IDENTITY), or for SIGMOID the probability 1 / (1 + 10^e), from about 1e-6 to 1 - 1e-6.
     */
    private static double inDomain(Reparameterization r, double exponent, boolean negative) {
        return switch (r) {
            case IDENTITY -> (negative ? -1 : 1) * Math.pow(10, exponent);
            case SIGMOID -> 1 / (1 + Math.pow(10, exponent));
            case SOFTPLUS, EXP -> Math.pow(10, exponent);
        };
    }

    @Property(tries = 400)
    void forwardOfInverseGivesBackTheValue(@ForAll Reparameterization r,
            @ForAll @DoubleRange(min = -6, max = 6) double exponent,
            @ForAll boolean negative) {
        double value = inDomain(r, exponent, negative);
        Tensor y = Tensor.of(new double[] {value});
        double back = r.forward(r.inverse(y)).item();
        assertEquals(value, back, 1e-12 * Math.abs(value), r + " at " + value);
    }

    @Property(tries = 40)
    void forwardGradientsMatchFiniteDifferences(@ForAll Reparameterization r, @ForAll long seed) {
        Tensor raw = Tensor.randn(new Rng(seed), DType.F64, 2, 3).mul(3.0);
        // GradCheck differences a random projection of all six outputs; exp(x) at x up to ~9 makes that sum ~1e4,
        // whose rounding over eps = 1e-6 leaves about 1e-6 of noise in every numeric derivative
        GradCheck.checkGradient(xs -> r.forward(xs.get(0)), List.of(raw)).assertPasses(1e-5);
    }

    @Example
    void handComputedValuesAtZero() {
        Tensor zero = Tensor.zeros(DType.F64, 1);
        assertEquals(0.0, Reparameterization.IDENTITY.forward(zero).item());
        assertEquals(Math.log(2), Reparameterization.SOFTPLUS.forward(zero).item(), 1e-15);
        assertEquals(0.5, Reparameterization.SIGMOID.forward(zero).item(), 1e-15);
        assertEquals(1.0, Reparameterization.EXP.forward(zero).item(), 1e-15);
        assertEquals(0.0, Reparameterization.SOFTPLUS.inverse(Tensor.full(DType.F64, Math.log(2), 1)).item(), 1e-15);
        assertEquals(0.0, Reparameterization.SIGMOID.inverse(Tensor.full(DType.F64, 0.5, 1)).item(), 1e-15);
    }

    @Example
    void inverseKeepsShapeAndDtype() {
        Tensor value = Tensor.full(DType.F32, 0.25, 2, 5);
        for (Reparameterization r : Reparameterization.values()) {
            Tensor raw = r.inverse(value);
            assertEquals(value.shape(), raw.shape(), r.toString());
            assertEquals(DType.F32, raw.dtype(), r.toString());
            assertTrue(r.forward(raw).allClose(value, 1e-6, 0), r.toString());
        }
    }

    @Example
    void valuesOutsideTheDomainAreRefusedNamingTheElement() {
        Tensor withZero = Tensor.of(new double[] {0.5, 0.0, 2.0});
        String softplus = assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.SOFTPLUS.inverse(withZero)).getMessage();
        assertTrue(softplus.contains("value 0.0 at element 1") && softplus.contains("(0, inf)"), softplus);
        String sigmoid = assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.SIGMOID.inverse(withZero)).getMessage();
        assertTrue(sigmoid.contains("at element 1") && sigmoid.contains("(0, 1)"), sigmoid);
        assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.SIGMOID.inverse(Tensor.of(new double[] {1.0})));
        assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.EXP.inverse(Tensor.of(new double[] {-1.0})));
        assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.IDENTITY.inverse(Tensor.of(new double[] {Double.NaN})));
        assertThrows(IllegalArgumentException.class,
                () -> Reparameterization.EXP.inverse(Tensor.of(new long[] {1})));
    }

    @Example
    void paramsAreMappedEntryByEntryKeepingNamesAndGraph() {
        Params raw = Params.leaves(List.of("w", "b"), List.of(Tensor.zeros(DType.F64, 2), Tensor.ones(DType.F64, 1)));
        Params value = Reparameterization.EXP.forward(raw);
        assertEquals(raw.names(), value.names());
        assertEquals(Tensor.ones(DType.F64, 2), value.value("w"));
        assertEquals(Math.E, value.value("b").item(), 1e-15);
        assertTrue(value.get("w").hasNode(), "still differentiable with respect to the raw leaves");
    }
}
