package dev.hyperkron.core.kernels;

/**
 * Validates the operands of a GEMM call up front, because the packed kernels read whole blocks
 * at computed offsets: a wrong leading dimension must fail with a message, not read a neighbour's
 * data.
 */
final class GemmArguments {
    private GemmArguments() {
    }

    static void check(boolean transA, boolean transB, int m, int n, int k,
                      int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                      int cLength, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        String a = checkMatrix("A", transA ? k : m, transA ? m : k, aLength, aOff, lda);
        String b = checkMatrix("B", transB ? n : k, transB ? k : n, bLength, bOff, ldb);
        String c = checkMatrix("C", m, n, cLength, cOff, ldc);
        String problem = a != null ? a : b != null ? b : c;
        if (problem != null) {
            // Only a failing call builds a message: a small product must not pay for the string.
            throw new IllegalArgumentException("gemm (m=" + m + ", n=" + n + ", k=" + k + ", transA=" + transA
                    + ", transB=" + transB + "): " + problem);
        }
    }

    /** What is wrong with the stored matrix, or null when it fits its array. */
    private static String checkMatrix(String name, int rows, int cols, int length, int off, int ld) {
        if (ld < cols) {
            return "ld" + name.toLowerCase(java.util.Locale.ROOT) + "=" + ld + " is smaller than the " + cols
                    + " columns of the stored " + name + " (" + rows + " x " + cols + ")";
        }
        if (rows == 0 || cols == 0) {
            return null;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > length) {
            return "the stored " + name + " (" + rows + " x " + cols + ", offset " + off + ", leading dimension " + ld
                    + ") needs elements [" + off + ", " + end + ") but its array has " + length;
        }
        return null;
    }
}
