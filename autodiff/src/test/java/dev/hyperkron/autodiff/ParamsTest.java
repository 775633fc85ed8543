package dev.hyperkron.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Params: an immutable ordered map of named Vars, and the semantics of its transformations and errors. */
class ParamsTest {
    private static final Var W = Var.leaf(Tensor.zeros(DType.F64, 3, 2));
    private static final Var B = Var.leaf(Tensor.zeros(DType.F64, 3));
    private static final Var V = Var.leaf(Tensor.ones(DType.F64, 4));

    /** "encoder.0.weight", "encoder.0.bias", "head.weight" in that order. */
    private static Params model() {
        Map<String, Var> m = new LinkedHashMap<>();
        m.put("encoder.0.weight", W);
        m.put("encoder.0.bias", B);
        m.put("head.weight", V);
        return Params.of(m);
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void keepsInsertionOrderAndCountsElements() {
        Params p = model();
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "head.weight"), p.names());
        assertEquals(List.of(W, B, V), p.vars());
        assertEquals(3, p.size());
        assertEquals(6 + 3 + 4, p.numel());
        assertEquals(DType.F64, p.dtype());
        assertSame(B, p.get("encoder.0.bias"));
        assertTrue(p.contains("head.weight"));
        assertTrue(!p.contains("head"));
    }

    @Test
    void isImmutable() {
        Params p = model();
        p.names().clear();
        p.vars().clear();
        assertEquals(3, p.size());
    }

    @Test
    void getOfAMissingNameListsTheNamesThatExist() {
        assertRejected(() -> model().get("encoder.1.weight"), "'encoder.1.weight'", "encoder.0.weight", "head.weight");
    }

    @Test
    void childStripsThePrefixAndKeepsOnlyItsEntries() {
        Params encoder = model().child("encoder");
        assertEquals(List.of("0.weight", "0.bias"), encoder.names());
        assertSame(W, encoder.get("0.weight"));
        assertEquals(List.of("weight", "bias"), encoder.child("0").names());
        assertEquals(0, model().child("enc").size(), "a prefix matches whole path segments only");
        assertEquals(0, model().child("missing").size());
    }

    @Test
    void prefixedAndChildAreInverses() {
        Params p = model();
        Params wrapped = p.prefixed("net");
        assertEquals(List.of("net.encoder.0.weight", "net.encoder.0.bias", "net.head.weight"), wrapped.names());
        assertEquals(p.names(), wrapped.child("net").names());
        assertEquals(p.vars(), wrapped.child("net").vars());
        assertEquals(p.names(), p.prefixed("").names());
    }

    @Test
    void mergeAppendsInOrderAndRejectsDuplicates() {
        Params a = Params.single("a", W);
        Params b = Params.single("b", B);
        assertEquals(List.of("a", "b"), a.merge(b).names());
        assertEquals(List.of("b", "a"), b.merge(a).names());
        assertEquals(List.of("a"), a.merge(Params.empty()).names());
        assertRejected(() -> a.merge(b).merge(Params.single("a", V)), "duplicate", "'a'");
    }

    @Test
    void withVarsReplacesValuesInOrder() {
        Var w2 = Var.leaf(Tensor.ones(DType.F64, 3, 2));
        Var b2 = Var.leaf(Tensor.ones(DType.F64, 3));
        Var v2 = Var.constant(Tensor.zeros(DType.F64, 4));
        Params p = model().withVars(List.of(w2, b2, v2));
        assertEquals(model().names(), p.names());
        assertEquals(List.of(w2, b2, v2), p.vars());
    }

    @Test
    void withVarsRejectsAWrongCountListingTheNames() {
        assertRejected(() -> model().withVars(List.of(W, B)), "expected 3", "got 2", "encoder.0.weight", "head.weight");
    }

    @Test
    void withVarsRejectsAShapeMismatchNamingTheParameterAndBothShapes() {
        assertRejected(() -> model().withVars(List.of(W, V, V)), "'encoder.0.bias'", "[3]", "[4]");
    }

    @Test
    void withValuesMakesFreshLeaves() {
        List<Tensor> values = List.of(Tensor.ones(DType.F64, 3, 2), Tensor.ones(DType.F64, 3), Tensor.zeros(DType.F64, 4));
        Params p = model().withValues(values);
        assertEquals(values, p.values());
        for (Var v : p.vars()) {
            assertTrue(v.requiresGrad() && !v.hasNode());
        }
        assertRejected(() -> model().withValues(List.of(Tensor.zeros(DType.F64, 2))), "expected 3");
    }

    @Test
    void leavesNamesTensorsAndRejectsDuplicatesAndMismatchedLengths() {
        Params p = Params.leaves(List.of("x", "y"), List.of(Tensor.zeros(DType.F64, 1), Tensor.zeros(DType.F64, 2)));
        assertEquals(List.of("x", "y"), p.names());
        assertEquals(Shape.of(2), p.get("y").shape());
        assertTrue(p.get("x").requiresGrad());
        assertRejected(() -> Params.leaves(List.of("x", "x"), List.of(Tensor.zeros(DType.F64, 1), Tensor.zeros(DType.F64, 1))),
                "duplicate", "'x'");
        assertRejected(() -> Params.leaves(List.of("x"), List.of()), "1 names", "0 tensors");
    }

    @Test
    void rejectsEmptyAndDotDelimitedNames() {
        assertRejected(() -> Params.single("", W), "invalid parameter name");
        assertRejected(() -> Params.single(".w", W), "'.w'");
        assertRejected(() -> Params.single("w.", W), "'w.'");
        assertRejected(() -> Params.of(Map.of("a..b", W)), "'a..b'", "non-empty segments");
        assertRejected(() -> Params.single("w", W).prefixed("net."), "'net..w'");
    }

    @Test
    void detachedCopyAndAsLeavesCutTheGraph() {
        Var computed = W.mul(2.0);
        Params p = Params.single("w", computed);
        assertTrue(p.get("w").hasNode());
        assertTrue(!p.detached().get("w").requiresGrad());
        Var leaf = p.asLeaves().get("w");
        assertTrue(leaf.requiresGrad() && !leaf.hasNode());
        assertSame(computed.value(), leaf.value());
        Var copy = p.copy().get("w");
        assertNotSame(computed.value(), copy.value());
        assertEquals(computed.value(), copy.value());
    }

    @Test
    void mapNamedSeesEveryName() {
        Params p = model().mapNamed((name, v) -> name.endsWith("bias") ? v.mul(0.0) : v);
        assertSame(W, p.get("encoder.0.weight"));
        assertTrue(p.get("encoder.0.bias").hasNode());
    }

    @Test
    void dtypeRejectsMixedAndEmptyParams() {
        Params mixed = Params.single("a", W).merge(Params.single("b", Var.leaf(Tensor.zeros(DType.F32, 1))));
        IllegalStateException e = assertThrows(IllegalStateException.class, mixed::dtype);
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("F32"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Params.empty().dtype());
    }

    @Test
    void toStringShowsNamesAndShapes() {
        assertEquals("Params{encoder.0.weight[3, 2], encoder.0.bias[3], head.weight[4]}", model().toString());
    }
}
