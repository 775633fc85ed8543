package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.experiments.DataSets;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import java.util.List;

/**
 * One setting of a figure, run for every contender and seed: a data-hypercleaning setup (its
 * seed is replaced by each run's) on data loaded once.
 *
 * @param label      the case in tables and plot titles
 * @param setup      the experiment; {@link HypercleaningSetup#withSeed} gives each seed's
 * @param data       the loaded data set the setup names
 * @param contenders method names (see {@link dev.hyperkron.bench.experiments.MethodSpec}) and
 *                   reference names (see {@link dev.hyperkron.bench.experiments.ReferenceTraining})
 */
public record FigureCase(String label, HypercleaningSetup setup, DataSets.AsDistributed data, List<String> contenders) {
    public FigureCase {
        contenders = List.copyOf(contenders);
    }
}
