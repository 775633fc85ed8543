package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bilevel.train.TrainingResult;

/**
 * One finished run of a figure: which case (model, data, batch size) and contender, which seed,
 * and what it did.
 *
 * @param caseLabel the case, e.g. "mlp(256) on fashion" or "linear, batch 64"
 * @param contender the contender as the command line names it ("aid-cg", "valid-only")
 * @param label     its name in tables and plots ("AID-CG(10)", "valid-only")
 * @param seed      the seed of the split, noise, initialisation and sampling
 * @param reference whether this is a reference run (no weights learned)
 * @param record    the run
 */
public record FigureRun(String caseLabel, String contender, String label, long seed, boolean reference,
                        RunRecord record) {

    /** The run's evaluated test metrics. */
    public EvaluatedCurve curve() {
        return EvaluatedCurve.of(record.result().history());
    }

    public boolean diverged() {
        return record.result().status() == TrainingResult.Status.DIVERGED;
    }
}
