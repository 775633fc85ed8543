package dev.hyperkron.core;

/** Strided element copies for every storage type (data movement needs no arithmetic kernels). */
final class ElementCopy {
    private ElementCopy() {
    }

    /**
     * dst[dstOff + i * dstInc] = src[srcOff + i * srcInc] for i in [0, n). A strided destination
     * (only the rare block copies of single elements make one) is copied element by element.
     */
    static void copy(Object src, int srcOff, int srcInc, Object dst, int dstOff, int dstInc, int n) {
        if (dstInc != 1) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, srcOff + i * srcInc, dst, dstOff + i * dstInc, 1);
            }
        } else if (srcInc == 1) {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        } else if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = s[srcOff + i * srcInc];
            }
        } else if (src instanceof double[] s) {
            double[] d = (double[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = s[srcOff + i * srcInc];
            }
        } else if (src instanceof long[] s) {
            long[] d = (long[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = s[srcOff + i * srcInc];
            }
        } else if (src instanceof int[] s) {
            int[] d = (int[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = s[srcOff + i * srcInc];
            }
        } else {
            byte[] s = (byte[]) src;
            byte[] d = (byte[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = s[srcOff + i * srcInc];
            }
        }
    }

    /** dst[i] = src[positions[i]] for every i: the copy of a gather. */
    static void gather(Object src, int[] positions, Object dst) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int i = 0; i < positions.length; i++) {
                d[i] = s[positions[i]];
            }
        } else if (src instanceof double[] s) {
            double[] d = (double[]) dst;
            for (int i = 0; i < positions.length; i++) {
                d[i] = s[positions[i]];
            }
        } else if (src instanceof long[] s) {
            long[] d = (long[]) dst;
            for (int i = 0; i < positions.length; i++) {
                d[i] = s[positions[i]];
            }
        } else if (src instanceof int[] s) {
            int[] d = (int[]) dst;
            for (int i = 0; i < positions.length; i++) {
                d[i] = s[positions[i]];
            }
        } else {
            byte[] s = (byte[]) src;
            byte[] d = (byte[]) dst;
            for (int i = 0; i < positions.length; i++) {
                d[i] = s[positions[i]];
            }
        }
    }
}
