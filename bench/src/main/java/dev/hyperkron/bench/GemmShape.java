package dev.hyperkron.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GEMM problem of the benchmarks: C (m x n) = op(A) (m x k) * op(B) (k x n), row-major. The
 * shared list keeps the JMH benchmark, the side-by-side timer and the numpy script on the same
 * problems.
 */
public record GemmShape(String name, int m, int n, int k, boolean transA, boolean transB) {

    /** Square products and the products of an MLP 784-256-10 step on a batch of 128. */
    public static final List<GemmShape> STANDARD = List.of(
            square(256), square(512), square(1024), square(2048),
            new GemmShape("mlp-fc1", 128, 256, 784, false, false),
            // What the layer computes: x W^T with W stored [out, in], so op(B) is transposed.
            new GemmShape("mlp-fc1-xWt", 128, 256, 784, false, true),
            new GemmShape("mlp-fc2", 128, 10, 256, false, false),
            new GemmShape("mlp-fc2-dW", 256, 10, 128, true, false),
            new GemmShape("mlp-fc2-dX", 128, 256, 10, false, true),
            new GemmShape("mlp-fc1-dW", 784, 256, 128, true, false));

    /** A shape spelled out by its sizes, for {@link #named}. */
    private static final Pattern SPELLED_OUT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)(?:-([nt][nt]))?");

    public static GemmShape square(int size) {
        return new GemmShape("square" + size, size, size, size, false, false);
    }

    /**
     * The shape of the given name in {@link #STANDARD}, or one spelled out as {@code MxNxK} with an
     * optional {@code -tn}, {@code -nt} or {@code -tt} for transposed operands (op(A) then op(B)),
     * to probe sizes the standard list leaves out.
     */
    public static GemmShape named(String name) {
        Matcher spelled = SPELLED_OUT.matcher(name);
        if (spelled.matches()) {
            String transposes = spelled.group(4) == null ? "nn" : spelled.group(4);
            return new GemmShape(name, positive(spelled.group(1), name), positive(spelled.group(2), name),
                    positive(spelled.group(3), name), transposes.charAt(0) == 't', transposes.charAt(1) == 't');
        }
        return STANDARD.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown GEMM shape '" + name + "', known: "
                        + STANDARD.stream().map(GemmShape::name).toList() + " or MxNxK[-tn|-nt|-tt]"));
    }

    private static int positive(String digits, String name) {
        int value;
        try {
            value = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1) {
            throw new IllegalArgumentException("GEMM shape '" + name + "': sizes must be between 1 and "
                    + Integer.MAX_VALUE + ", got '" + digits + "'");
        }
        return value;
    }

    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Rows and columns of the stored A (k x m when transposed). */
    public int aRows() {
        return transA ? k : m;
    }

    public int aCols() {
        return transA ? m : k;
    }

    public int bRows() {
        return transB ? n : k;
    }

    public int bCols() {
        return transB ? k : n;
    }
}
