package dev.hyperkron.core.kernels;

/**
 * Plain loops over float[] storage. The F64 twin is generated from this file at build time
 * (see core/pom.xml); edit this one only.
 */
// Its (float) casts are needed here but redundant in the generated F64 twin, where they read (double).
@SuppressWarnings("cast")
class ScalarKernelsF32 implements TypedKernels<float[]> {
    /** Multiply-adds below which a GEMM stays on the calling thread. */
    private static final long PARALLEL_GEMM_WORK = 1L << 18;
    /** Max pooling's usual geometry: 2x2 windows, stride 2, no padding. */
    private static final ConvGeometry HALVING_POOL = ConvGeometry.square(2, 2, 0, 1);

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, double beta,
                     float[] c, int cOff, int ldc) {
        int minRows = (int) Math.max(1, PARALLEL_GEMM_WORK / Math.max(1L, (long) n * k));
        Parallel.forRange(m, minRows, (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    if (transB) {
                        for (int j = 0; j < n; j++) {
                            row[j] += aip * b[bOff + j * ldb + p];
                        }
                    } else {
                        int bRow = bOff + p * ldb;
                        for (int j = 0; j < n; j++) {
                            row[j] += aip * b[bRow + j];
                        }
                    }
                }
                int cRow = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    float scaled = (float) (alpha * row[j]);
                    c[cRow + j] = beta == 0 ? scaled : (float) (scaled + beta * c[cRow + j]);
                }
            }
        });
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        switch (op) { // the common transcendental functions get loops of their own, the rest the definition
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) SpecialFunctions.exp(x[xOff + i]); // float: a fit, as the SIMD loop
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) Math.log(x[xOff + i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) Math.tanh(x[xOff + i]);
                }
            }
            case ERF -> { // float arguments pick float-accurate forms, within an ulp of the definition, far cheaper
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) SpecialFunctions.erf(x[xOff + i]);
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) SpecialFunctions.gelu(x[xOff + i]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) op.apply(x[xOff + i]);
                }
            }
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                       float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) op.apply(a[aOff + i * aInc], b[bOff + i * bInc]);
        }
    }

    @Override
    public void select(float[] cond, int cOff, int cInc, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                       float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = cond[cOff + i * cInc] != 0 ? a[aOff + i * aInc] : b[bOff + i * bInc];
        }
    }

    @Override
    public void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = op.identity();
                int base = xOff + o * len * inner + i;
                for (int r = 0; r < len; r++) {
                    acc = op.combine(acc, x[base + r * inner]);
                }
                out[outOff + o * inner + i] = (float) acc;
            }
        }
    }

    @Override
    public double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += (double) a[aOff + i] * b[bOff + i];
        }
        return acc;
    }

    @Override
    public void axpy(double alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        float al = (float) alpha;
        for (int i = 0; i < n; i++) {
            y[yOff + i] += al * x[xOff + i];
        }
    }

    @Override
    public void scale(double alpha, float[] x, int xOff, int n) {
        float al = (float) alpha;
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= al;
        }
    }

    @Override
    public void im2col(float[] x, int xOff, int channels, int height, int width, ConvGeometry g,
                       float[] cols, int colsOff) {
        int outW = g.outWidth(width);
        int stride = g.strideW();
        g.forEachPatchRow(channels, height, width, (row, image, lo, hi) -> {
            int dst = colsOff + row;
            if (image == ConvGeometry.PADDING_ROW || lo >= hi) {
                java.util.Arrays.fill(cols, dst, dst + outW, 0f);
                return;
            }
            int src = xOff + image;
            java.util.Arrays.fill(cols, dst, dst + lo, 0f);
            if (stride == 1) {
                System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
            } else {
                for (int ox = lo; ox < hi; ox++) {
                    cols[dst + ox] = x[src + ox * stride];
                }
            }
            java.util.Arrays.fill(cols, dst + hi, dst + outW, 0f);
        });
    }

    @Override
    public void col2im(float[] cols, int colsOff, int channels, int height, int width, ConvGeometry g,
                       float[] x, int xOff) {
        int stride = g.strideW();
        g.forEachPatchRow(channels, height, width, (row, image, lo, hi) -> {
            if (image == ConvGeometry.PADDING_ROW) {
                return;
            }
            int src = colsOff + row;
            int dst = xOff + image;
            for (int ox = lo; ox < hi; ox++) {
                x[dst + ox * stride] += cols[src + ox];
            }
        });
    }

    @Override
    public void maxPoolIndices(float[] x, int xOff, int planes, int height, int width, ConvGeometry g,
                               long[] out, int outOff) {
        if (g.equals(HALVING_POOL)) {
            halvingMaxPoolIndices(x, xOff, planes, height, width, out, outOff);
            return;
        }
        int outH = g.outHeight(height);
        int outW = g.outWidth(width);
        int at = outOff;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * g.strideH() - g.padH();
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = ox * g.strideW() - g.padW();
                    int best = -1;
                    float bestValue = 0f;
                    for (int ki = 0; ki < g.kernelH(); ki++) {
                        int iy = y0 + ki * g.dilationH();
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        for (int kj = 0; kj < g.kernelW(); kj++) {
                            int ix = x0 + kj * g.dilationW();
                            if (ix < 0 || ix >= width) {
                                continue;
                            }
                            int tap = iy * width + ix;
                            float v = x[plane + tap];
                            if (best < 0 || isLater(v, bestValue)) {
                                best = tap;
                                bestValue = v;
                            }
                        }
                    }
                    out[at++] = best;
                }
            }
        }
    }

    /**
     * The 2x2 stride-2 pooling of most CNNs, unrolled: with two-iteration tap loops the general
     * loop spends more on loop control than on the four comparisons.
     */
    private static void halvingMaxPoolIndices(float[] x, int xOff, int planes, int height, int width,
                                              long[] out, int outOff) {
        int outH = height / 2;
        int outW = width / 2;
        int at = outOff;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            for (int oy = 0; oy < outH; oy++) {
                int top = 2 * oy * width;
                for (int ox = 0; ox < outW; ox++) {
                    int best = top + 2 * ox;
                    float bestValue = x[plane + best];
                    int tap = best + 1;
                    float v = x[plane + tap];
                    if (isLater(v, bestValue)) {
                        best = tap;
                        bestValue = v;
                    }
                    tap = top + width + 2 * ox;
                    v = x[plane + tap];
                    if (isLater(v, bestValue)) {
                        best = tap;
                        bestValue = v;
                    }
                    tap++;
                    v = x[plane + tap];
                    if (isLater(v, bestValue)) {
                        best = tap;
                        bestValue = v;
                    }
                    out[at++] = best;
                }
            }
        }
    }

    /** Whether a later tap v replaces the window's maximum so far: it is larger or NaN, and no NaN won yet. */
    private static boolean isLater(float v, float best) {
        return !(v <= best) && best == best;
    }
}
