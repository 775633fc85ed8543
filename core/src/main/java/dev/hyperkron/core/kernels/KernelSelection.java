package dev.hyperkron.core.kernels;

/** Picks the process-wide kernels once, from {@code hyperkron.kernels} and the JVM's modules. */
final class KernelSelection {
    static final String PROPERTY = "hyperkron.kernels";
    static final Kernels ACTIVE = select(System.getProperty(PROPERTY));

    private KernelSelection() {
    }

    static Kernels select(String requested) {
        if (requested == null || requested.isBlank()) {
            return vectorModulePresent() ? vector() : ScalarKernels.INSTANCE;
        }
        return switch (requested.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "vector" -> vector();
            case "scalar" -> ScalarKernels.INSTANCE;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + "=" + requested
                    + " is not a kernel set: use 'vector' or 'scalar'");
        };
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static Kernels vector() {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the Vector API kernels need the JVM option "
                    + "--add-modules jdk.incubator.vector (or use -D" + PROPERTY + "=scalar)");
        }
        return VectorHolder.INSTANCE;
    }

    // A separate class so that VectorKernels (which links against jdk.incubator.vector) is only
    // loaded once we know the module is there.
    private static final class VectorHolder {
        static final Kernels INSTANCE = new VectorKernels();
    }
}
