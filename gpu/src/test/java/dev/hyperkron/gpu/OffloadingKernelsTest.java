package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;

/** Which calls -Dhyperkron.kernels=cuda sends to the GPU: GEMMs of at least the threshold's FLOPs, nothing else. */
class OffloadingKernelsTest {

    @Example
    void onlyLargeGemmsGoToTheGpu() {
        List<String> gpuCalls = new ArrayList<>();
        TypedKernels<float[]> gpu = recording(gpuCalls);
        TypedKernels<float[]> kernels = new OffloadingKernels<>(gpu, Kernels.scalar().f32(), 2.0 * 8 * 8 * 8);
        float[] a = new float[64];
        kernels.gemm(false, false, 4, 4, 4, 1, a, 0, 4, a, 0, 4, 0, new float[16], 0, 4);
        kernels.unary(UnaryOp.EXP, a, 0, a, 0, 64);
        assertEquals(List.of(), gpuCalls);
        kernels.gemm(false, false, 8, 8, 8, 1, a, 0, 8, a, 0, 8, 0, new float[64], 0, 8);
        assertEquals(List.of("gemm"), gpuCalls);
    }

    @Example
    void anUnknownOffloadModeIsRejectedWithTheChoices() {
        String old = System.getProperty(OffloadingKernels.PROPERTY);
        System.setProperty(OffloadingKernels.PROPERTY, "some");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OffloadingKernels.configured(Kernels.scalar().f32(), Kernels.scalar().f32()));
            assertEquals(true, e.getMessage().contains("'large'") && e.getMessage().contains("'all'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(OffloadingKernels.PROPERTY);
            } else {
                System.setProperty(OffloadingKernels.PROPERTY, old);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static TypedKernels<float[]> recording(List<String> calls) {
        return (TypedKernels<float[]>) Proxy.newProxyInstance(OffloadingKernelsTest.class.getClassLoader(),
                new Class<?>[] {TypedKernels.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return method.getReturnType() == double.class ? 0.0 : null;
                });
    }
}
