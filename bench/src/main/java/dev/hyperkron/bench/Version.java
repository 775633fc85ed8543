package dev.hyperkron.bench;

import picocli.CommandLine;

/** The version line of {@code hyperkron --version}, from the jar manifest when packaged. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"hyperkron " + (v == null ? "0.1.0-SNAPSHOT" : v)
                + " (Java " + Runtime.version() + ", kernels: " + dev.hyperkron.core.kernels.Kernels.active().name()
                + ", threads: " + dev.hyperkron.core.kernels.Parallel.threads() + ")"};
    }
}
