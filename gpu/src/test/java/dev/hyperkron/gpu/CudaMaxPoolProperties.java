package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.Kernels;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Max-pooling indices on the GPU (not part of core's kernel contract) equal the scalar kernels'
 * for every geometry with padding, stride and dilation, with ties, signed zeros and NaNs in the input.
 */
@AddLifecycleHook(RequiresCuda.class)
class CudaMaxPoolProperties {

    @Property(tries = 200)
    void maxPoolIndicesMatchTheScalarKernels(@ForAll @IntRange(min = 1, max = 3) int kernel,
                                             @ForAll @IntRange(min = 1, max = 3) int stride,
                                             @ForAll @IntRange(max = 1) int padding,
                                             @ForAll @IntRange(min = 1, max = 2) int dilation,
                                             @ForAll @IntRange(min = 1, max = 4) int planes,
                                             @ForAll @IntRange(min = 1, max = 9) int height,
                                             @ForAll @IntRange(min = 1, max = 9) int width,
                                             @ForAll boolean single, @ForAll long seed) {
        ConvGeometry g = ConvGeometry.square(kernel, stride, padding, dilation);
        int span = dilation * (kernel - 1) + 1;
        Assume.that(height + 2 * padding >= span && width + 2 * padding >= span && padding < span);
        Assume.that(everyWindowSeesAPixel(g, height, width));
        Random rnd = new Random(seed);
        double[] pool = {0.0, -0.0, 1.0, -1.0, 2.5, Double.NaN, Double.NEGATIVE_INFINITY};
        int size = planes * height * width;
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : Math.rint(rnd.nextGaussian() * 3);
        }
        int windows = planes * g.outHeight(height) * g.outWidth(width);
        long[] expected = new long[windows + 2];
        long[] got = new long[windows + 2];
        Arrays.fill(expected, -7);
        Arrays.fill(got, -7);
        CudaKernels cuda = new CudaKernels(CudaDevice.get());
        if (single) {
            float[] xf = CudaGemmProperties.toFloat(x);
            Kernels.scalar().f32().maxPoolIndices(xf, 0, planes, height, width, g, expected, 1);
            cuda.stagedF32().maxPoolIndices(xf, 0, planes, height, width, g, got, 1);
        } else {
            Kernels.scalar().f64().maxPoolIndices(x, 0, planes, height, width, g, expected, 1);
            cuda.stagedF64().maxPoolIndices(x, 0, planes, height, width, g, got, 1);
        }
        assertArrayEquals(expected, got, () -> "max pool indices for " + g + " on " + planes + "x" + height + "x" + width);
    }

    private static boolean everyWindowSeesAPixel(ConvGeometry g, int height, int width) {
        for (int oy = 0; oy < g.outHeight(height); oy++) {
            for (int ox = 0; ox < g.outWidth(width); ox++) {
                boolean seen = false;
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                        int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                        seen |= iy >= 0 && iy < height && ix >= 0 && ix < width;
                    }
                }
                if (!seen) {
                    return false;
                }
            }
        }
        return true;
    }
}
