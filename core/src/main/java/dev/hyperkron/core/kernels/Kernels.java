package dev.hyperkron.core.kernels;

import dev.hyperkron.core.DType;

/**
 * The kernel SPI: a named implementation of the hot loops for both floating types. The
 * process-wide choice comes from the system property {@code hyperkron.kernels} ({@code vector},
 * {@code scalar}, or the name of a {@link KernelsProvider} such as {@code cuda}); by default the Vector API kernels are used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, the scalar kernels otherwise.
 */
public interface Kernels {

    /** Short name: "vector", "scalar", or a provider's name such as "cuda". */
    String name();

    TypedKernels<float[]> f32();

    TypedKernels<double[]> f64();

    /** The kernels for a floating dtype, typed loosely for code that is generic over the dtype. */
    @SuppressWarnings("unchecked")
    default TypedKernels<Object> of(DType dtype) {
        return switch (dtype) {
            case F32 -> (TypedKernels<Object>) (TypedKernels<?>) f32();
            case F64 -> (TypedKernels<Object>) (TypedKernels<?>) f64();
            default -> throw new IllegalArgumentException("no arithmetic kernels for dtype " + dtype
                    + ": cast the tensor to F32 or F64 first");
        };
    }

    /** The kernels selected for this process. */
    static Kernels active() {
        return KernelSelection.ACTIVE;
    }

    /** The portable scalar kernels, always available. */
    static Kernels scalar() {
        return KernelSelection.SCALAR;
    }

    /** The Vector API kernels, or an exception explaining how to enable them. */
    static Kernels vector() {
        return KernelSelection.vector();
    }

    /** Whether the Vector API module is present in this JVM. */
    static boolean vectorAvailable() {
        return KernelSelection.vectorModulePresent();
    }
}
