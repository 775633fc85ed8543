package dev.hyperkron.bench.options;

import picocli.CommandLine.Option;

/** {@code --seed}: the one seed a command derives all its randomness from. */
public final class SeedOption {
    @Option(names = "--seed", description = "Seed of data splits, noise, initialisation and sampling "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    public long seed() {
        return seed;
    }
}
