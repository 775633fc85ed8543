package dev.hyperkron.core.kernels;

/**
 * Picks the process-wide kernels once, from {@code hyperkron.kernels} and the JVM's modules; names
 * other than the built-in ones are looked up among the {@link KernelsProvider}s on the class path.
 */
final class KernelSelection {
    static final String PROPERTY = "hyperkron.kernels";
    /** The provided kernel sets this project knows of, listed in errors even when absent. */
    static final java.util.List<String> KNOWN_PROVIDED = java.util.List.of("cuda");
    static final Kernels SCALAR = new KernelSet("scalar", new ScalarKernelsF32(), new ScalarKernelsF64());
    static final Kernels ACTIVE = select(System.getProperty(PROPERTY));

    private KernelSelection() {
    }

    static Kernels select(String requested) {
        if (requested == null || requested.isBlank()) {
            return vectorModulePresent() ? vector() : SCALAR;
        }
        String name = requested.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "vector" -> vector();
            case "scalar" -> SCALAR;
            default -> provided(name, requested);
        };
    }

    /**
     * A provider's kernels; when the provider is absent (module not on the class path) or cannot
     * run here (no library or device), one line on stderr and the default CPU kernels instead.
     */
    private static Kernels provided(String name, String requested) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("vector", "scalar"));
        for (KernelsProvider provider : java.util.ServiceLoader.load(KernelsProvider.class)) {
            if (provider.name().equals(name)) {
                try {
                    return provider.create();
                } catch (KernelsUnavailableException e) {
                    return fallBack(name, e.getMessage());
                }
            }
            names.add(provider.name());
        }
        if (KNOWN_PROVIDED.contains(name)) {
            return fallBack(name, "its module (hyperkron-" + name + ", built on JDK 22 or newer) is not on the class path");
        }
        for (String known : KNOWN_PROVIDED) {
            if (!names.contains(known)) {
                names.add(known);
            }
        }
        throw new IllegalArgumentException("system property " + PROPERTY + "=" + requested
                + " is not a kernel set: use one of " + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()));
    }

    private static Kernels fallBack(String name, String reason) {
        Kernels cpu = vectorModulePresent() ? vector() : SCALAR;
        System.err.println("hyperkron: " + PROPERTY + "=" + name + " unavailable (" + reason + "); using the "
                + cpu.name() + " kernels on the CPU");
        return cpu;
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
