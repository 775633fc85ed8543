package dev.hyperkron.core;

import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.Parallel;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * Ops on tensors above the parallel thresholds give the same result on one worker thread as on
 * two: chunking must not change which elements are computed or how. Elementwise, layout,
 * reduction and pooling results are bit-identical; matrix products may differ only by the
 * rounding of a reassociated sum.
 */
class ParallelConsistencyTest {

    @Example
    void resultsDoNotDependOnTheThreadCount() {
        int original = Parallel.threads();
        try {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Parallel.setThreads(1);
                Map<String, Tensor> one = runOps(dtype);
                Parallel.setThreads(2);
                Map<String, Tensor> two = runOps(dtype);
                for (String op : one.keySet()) {
                    if (op.endsWith("scale")) {
                        continue;
                    }
                    if (op.startsWith("matmul")) {
                        Tensor scale = two.get(op + " scale");
                        TestTensors.assertCloseScaled(two.get(op), NaiveTensor.of(one.get(op)), NaiveTensor.of(scale),
                                300 * TestTensors.eps(dtype));
                    } else {
                        TestTensors.assertIdentical(one.get(op), two.get(op));
                    }
                }
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    private static Map<String, Tensor> runOps(DType dtype) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor x = TestTensors.withSpecials(dtype, new int[] {300, 250}, 1);
        Tensor column = TestTensors.random(dtype, new int[] {300, 1}, 2);
        Tensor row = TestTensors.random(dtype, new int[] {250}, 3);
        out.put("exp", x.exp());
        out.put("gelu", x.gelu());
        out.put("tanh", x.tanh());
        out.put("add column", x.add(column));
        out.put("mul row", x.mul(row));
        out.put("outer sub", column.sub(row));
        out.put("where", Tensor.where(x.gt(0), column, row));
        out.put("expand", column.expand(Shape.of(300, 250)));
        out.put("permute", x.reshape(300, 25, 10).permute(2, 0, 1));
        Tensor finite = TestTensors.random(dtype, new int[] {300, 250}, 4);
        out.put("sum rows", finite.sum(1, false));
        out.put("sum columns", finite.sum(0, true));
        out.put("max", finite.max(new int[] {0, 1}, false));
        out.put("softmax", finite.softmax(1));
        out.put("logSoftmax", finite.logSoftmax(0));
        Tensor a = TestTensors.random(dtype, new int[] {300, 250}, 5);
        Tensor b = TestTensors.random(dtype, new int[] {250, 200}, 6);
        out.put("matmul", a.matmul(b));
        out.put("matmul scale", a.abs().matmul(b.abs()));
        Tensor batchA = TestTensors.random(dtype, new int[] {3000, 8, 8}, 7);
        Tensor batchB = TestTensors.random(dtype, new int[] {3000, 8, 8}, 8);
        out.put("matmul batched", batchA.matmul(batchB, true, false));
        out.put("matmul batched scale", batchA.abs().matmul(batchB.abs(), true, false));
        Tensor images = TestTensors.random(dtype, new int[] {4, 3, 40, 40}, 9);
        ConvGeometry g = ConvGeometry.square(3, 2, 1, 1);
        Tensor cols = images.unfold(g);
        out.put("unfold", cols);
        out.put("fold", cols.fold(40, 40, g));
        out.put("maxPool2d", images.maxPool2d(g));
        out.put("avgPool2d", images.avgPool2d(g));
        return out;
    }
}
