package dev.hyperkron.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The graph walk: accumulation, depth, freeing, unused inputs, no-grad scopes and threads. */
class GraphMechanicsTest {

    @Test
    void gradientAccumulatesOverEveryUseOfAValue() {
        Var x = Var.leaf(Tensor.of(new double[] {2.0}));
        Var y = x.mul(x).add(x).add(x.exp()); // x^2 + x + e^x
        double g = Grad.grad(y.sum(), List.of(x)).get(0).value().item();
        assertEquals(2 * 2.0 + 1 + Math.exp(2.0), g, 1e-12);
    }

    @Test
    void tapGradientReportsTheGradientFlowingThroughIt() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0, 2.0}));
        Tensor[] seen = new Tensor[1];
        Var y = x.mul(3.0).tapGradient(g -> seen[0] = g).square().sum(); // dy/d(3x) = 2 * 3x
        Grad.grad(y, List.of(x));
        assertEquals(Tensor.of(new double[] {6.0, 12.0}), seen[0]);
    }

    @Test
    void backwardSkipsBranchesThatLeadToNoRequestedInput() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0}));
        Var w = Var.leaf(Tensor.of(new double[] {2.0}));
        int[] calls = {0};
        Var y = x.tapGradient(g -> calls[0]++).mul(w).sum();
        assertEquals(1.0, Grad.grad(y, List.of(w)).get(0).value().item(), 0);
        assertEquals(0, calls[0]);
    }

    @Test
    void wideFanOutSumsEveryBranch() {
        Var x = Var.leaf(Tensor.of(new double[] {0.5, -1.0}));
        Var total = null;
        for (int i = 1; i <= 1000; i++) {
            Var term = x.mul((double) i);
            total = total == null ? term : total.add(term);
        }
        Tensor g = Grad.grad(total.sum(), List.of(x)).get(0).value();
        assertTrue(g.allClose(Tensor.full(DType.F64, 500500.0, 2), 0, 1e-9));
    }

    @Test
    void aChainOfOneHundredThousandOpsDoesNotOverflowTheStack() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0}));
        Var y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0000001);
        }
        double g = Grad.grad(y.sum(), List.of(x)).get(0).value().item();
        assertEquals(Math.pow(1.0000001, 100_000), g, 1e-9);
    }

    @Test
    void aFinishedBackwardFreesTheGraphUnlessRetained() {
        Var x = Var.leaf(Tensor.of(new double[] {3.0}));
        Var y = x.exp().sum();
        Grad.grad(List.of(y), List.of(x), Grad.Options.DEFAULT.retainGraph());
        Grad.grad(List.of(y), List.of(x), Grad.Options.DEFAULT); // retained once, now freed
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Grad.grad(y, List.of(x)));
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void unusedInputsAreNullOnlyWhenAllowed() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0}));
        Var unused = Var.leaf(Tensor.of(new double[] {1.0}));
        Var y = x.square().sum();
        List<Var> g = Grad.grad(List.of(y), List.of(x, unused), Grad.Options.DEFAULT.retainGraph().allowUnused());
        assertNull(g.get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grad.grad(y, List.of(x, unused)));
        assertTrue(e.getMessage().contains("input 1"), e.getMessage());
    }

    @Test
    void nonScalarOutputsNeedGradOutputs() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0, 2.0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grad.grad(x.exp(), List.of(x)));
        assertTrue(e.getMessage().contains("gradOutputs"), e.getMessage());
    }

    @Test
    void constantsAndDetachedValuesAreNotDifferentiable() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0}));
        assertFalse(x.detach().requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> Grad.grad(x.exp().sum(), List.of(x.detach())));
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresRecordingOnClose() {
        Var x = Var.leaf(Tensor.of(new double[] {1.0}));
        Var inside;
        try (NoGrad scope = NoGrad.enter()) {
            inside = x.exp();
            assertFalse(NoGrad.isRecording());
            try (NoGrad again = NoGrad.enableGrad()) {
                assertTrue(x.exp().requiresGrad());
            }
            assertFalse(NoGrad.isRecording());
        }
        assertFalse(inside.requiresGrad());
        assertTrue(NoGrad.isRecording());
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void closingANoGradScopeTwiceDoesNotDisturbTheEnclosingMode() {
        NoGrad outer = NoGrad.enter();
        NoGrad inner = NoGrad.enableGrad();
        inner.close();
        inner.close();
        assertFalse(NoGrad.isRecording());
        outer.close();
        assertTrue(NoGrad.isRecording());
        Var x = Var.leaf(Tensor.of(new double[] {2.0}));
        assertEquals(4.0, Grad.grad(x.square().sum(), List.of(x)).get(0).value().item(), 0);
    }

    @Test
    void noGradOnAnotherThreadDoesNotAffectThisThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> NoGrad.enter()).get(); // left open on purpose: misuse on the other thread
            assertTrue(NoGrad.isRecording());
            Var x = Var.leaf(Tensor.of(new double[] {3.0}));
            assertEquals(6.0, Grad.grad(x.square().sum(), List.of(x)).get(0).value().item(), 0);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void createGraphGivesDifferentiableGradientsEvenInsideNoGrad() {
        Var x = Var.leaf(Tensor.of(new double[] {0.7}));
        Var y = x.tanh().exp().sum();
        try (NoGrad scope = NoGrad.enter()) {
            Var g = Grad.grad(List.of(y), List.of(x), Grad.Options.DEFAULT.createGraph()).get(0);
            assertTrue(g.requiresGrad());
        }
    }

    @Test
    void independentGraphsOnTwoThreadsMatchSequentialResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Tensor[] sequential = {hvpOfSmallNetwork(1), hvpOfSmallNetwork(2)};
            for (int round = 0; round < 5; round++) {
                Future<Tensor> a = pool.submit(() -> hvpOfSmallNetwork(1));
                Future<Tensor> b = pool.submit(() -> hvpOfSmallNetwork(2));
                assertEquals(sequential[0], a.get());
                assertEquals(sequential[1], b.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Tensor hvpOfSmallNetwork(long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, DType.F64, 16, 8);
        Params w = Params.constants(List.of("w1", "w2"),
                List.of(Tensor.randn(rng, DType.F64, 8, 6), Tensor.randn(rng, DType.F64, 6, 3)));
        Params v = Params.constants(List.of("w1", "w2"),
                List.of(Tensor.randn(rng, DType.F64, 8, 6), Tensor.randn(rng, DType.F64, 6, 3)));
        return Grad.hvp(p -> Var.constant(x).matmul(p.get("w1")).tanh().matmul(p.get("w2")).logSoftmax(1).mean().neg(),
                w, v).flatten();
    }
}
