package dev.hyperkron.core.kernels;

/** Elementwise functions of one argument; {@link #apply} is the scalar definition every kernel must match. */
public enum UnaryOp {
    NEG, ABS, SIGN, SQUARE, SQRT, RECIPROCAL, EXP, LOG, TANH, SIGMOID, RELU,
    /** Heaviside step: 1 where x > 0, else 0 (the derivative of relu almost everywhere). */
    STEP,
    /** log(1 + e^x), computed without overflow. */
    SOFTPLUS,
    ERF,
    /** Exact GELU, x Phi(x). */
    GELU;

    /** The scalar definition, in double precision. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> Math.max(x, 0.0); // NaN propagates
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case ERF -> SpecialFunctions.erf(x);
            case GELU -> SpecialFunctions.gelu(x);
        };
    }
}
