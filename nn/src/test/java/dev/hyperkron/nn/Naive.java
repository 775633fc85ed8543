package dev.hyperkron.nn;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;

/**
 * Textbook loops for what the layers compute, written index by index without any tensor op,
 * so that they are an oracle independent of im2col, GEMM and broadcasting. Results are F64.
 */
public final class Naive {
    private Naive() {
    }

    /** Direct convolution: out[n, o, y, x] = b[o] + sum over the group's channels and taps. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, ConvGeometry g, int groups) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int outC = w.dim(0);
        int inPer = c / groups;
        int outPer = outC / groups;
        int outH = g.outHeight(h);
        int outW = g.outWidth(wd);
        Tensor out = Tensor.zeros(DType.F64, n, outC, outH, outW);
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < outC; o++) {
                int group = o / outPer;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double acc = b == null ? 0 : b.get(o);
                        for (int ci = 0; ci < inPer; ci++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += w.get(o, ci, i, j) * x.get(in, group * inPer + ci, iy, ix);
                                    }
                                }
                            }
                        }
                        out.storage().setDouble(((in * outC + o) * outH + oy) * outW + ox, acc);
                    }
                }
            }
        }
        return out;
    }

    /** im2col: patches[n, (c * kH + i) * kW + j, oy * outW + ox] = x at that tap, zero in the padding. */
    public static Tensor unfold(Tensor x, ConvGeometry g) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int outH = g.outHeight(h);
        int outW = g.outWidth(wd);
        int rows = c * g.taps();
        int cols = outH * outW;
        Tensor out = Tensor.zeros(DType.F64, n, rows, cols);
        for (int in = 0; in < n; in++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < g.kernelH(); i++) {
                    for (int j = 0; j < g.kernelW(); j++) {
                        int row = (ci * g.kernelH() + i) * g.kernelW() + j;
                        for (int oy = 0; oy < outH; oy++) {
                            for (int ox = 0; ox < outW; ox++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    out.storage().setDouble((in * rows + row) * cols + oy * outW + ox,
                                            x.get(in, ci, iy, ix));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Max over each window; padding never wins (it acts as minus infinity). */
    public static Tensor maxPool2d(Tensor x, ConvGeometry g) {
        return pool(x, g, true);
    }

    /** Mean over each window with padded zeros counted: the divisor is always kH * kW. */
    public static Tensor avgPool2d(Tensor x, ConvGeometry g) {
        return pool(x, g, false);
    }

    private static Tensor pool(Tensor x, ConvGeometry g, boolean max) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int outH = g.outHeight(h);
        int outW = g.outWidth(wd);
        Tensor out = Tensor.zeros(DType.F64, n, c, outH, outW);
        for (int in = 0; in < n; in++) {
            for (int ci = 0; ci < c; ci++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    double v = x.get(in, ci, iy, ix);
                                    acc = max ? Math.max(acc, v) : acc + v;
                                }
                            }
                        }
                        out.storage().setDouble(((in * c + ci) * outH + oy) * outW + ox,
                                max ? acc : acc / g.taps());
                    }
                }
            }
        }
        return out;
    }

    /** y[..., o] = b[o] + sum_i x[..., i] w[o, i] over every leading index. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int in = w.dim(1);
        int out = w.dim(0);
        int rows = x.size() / in;
        int[] dims = x.shape().dims();
        dims[dims.length - 1] = out;
        Tensor y = Tensor.zeros(DType.F64, dims);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b == null ? 0 : b.get(o);
                for (int i = 0; i < in; i++) {
                    acc += x.storage().getDouble(r * in + i) * w.get(o, i);
                }
                y.storage().setDouble(r * out + o, acc);
            }
        }
        return y;
    }

    /** PyTorch's LayerNorm over the last axis: (x - mean) / sqrt(biased var + eps) * w + b. */
    public static Tensor layerNorm(Tensor x, Tensor w, Tensor b, double eps) {
        int d = x.dim(-1);
        int rows = x.size() / d;
        Tensor y = Tensor.zeros(DType.F64, x.shape());
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x.storage().getDouble(r * d + i);
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double dev = x.storage().getDouble(r * d + i) - mean;
                var += dev * dev;
            }
            var /= d;
            for (int i = 0; i < d; i++) {
                double normalized = (x.storage().getDouble(r * d + i) - mean) / Math.sqrt(var + eps);
                y.storage().setDouble(r * d + i, normalized * w.get(i) + b.get(i));
            }
        }
        return y;
    }

    /** erf by its everywhere-positive series 2/sqrt(pi) e^(-x^2) sum 2^k x^(2k+1) / (2k+1)!!, exact to rounding for |x| <= 6. */
    public static double erf(double x) {
        double term = x;
        double sum = x;
        for (int k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
            term *= 2 * x * x / (2 * k + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }
}
