package dev.hyperkron.core.kernels;

/**
 * A named pair of typed kernel implementations: "scalar" (plain Java, runs on any JVM, the
 * reference) or "vector" (the incubating Vector API, SIMD).
 */
record KernelSet(String name, TypedKernels<float[]> f32, TypedKernels<double[]> f64) implements Kernels {
}
