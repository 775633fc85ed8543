package dev.hyperkron.core.kernels;

/**
 * Elementwise functions of two arguments; {@link #apply} is the scalar definition every kernel
 * must match. Comparisons yield 1 or 0 in the operands' floating type.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE;

    /** The scalar definition, in double precision. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    /** Whether the result is a 0/1 indicator rather than an arithmetic value. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
