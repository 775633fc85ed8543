package dev.hyperkron.core.kernels;

/** Picks the process-wide kernels once, from {@code hyperkron.kernels} and the JVM's modules. */
final class KernelSelection {
    static final String PROPERTY = "hyperkron.kernels";
    static final Kernels SCALAR = new KernelSet("scalar", new ScalarKernelsF32(), new ScalarKernelsF64());
    static final Kernels ACTIVE = select(System.getProperty(PROPERTY));

    private KernelSelection() {
    }

    static Kernels select(String requested) {
        if (requested == null || requested.isBlank()) {
            return vectorModulePresent() ? vector() : SCALAR;
        }
        return switch (requested.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "vector" -> vector();
            case "scalar" -> SCALAR;
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

    // A separate class so that the vector kernels (which link against jdk.incubator.vector) are
    // only loaded once we know the module is there.
    private static final class VectorHolder {
        static final Kernels INSTANCE = new KernelSet("vector", new VectorKernelsF32(), new VectorKernelsF64());
    }
}
