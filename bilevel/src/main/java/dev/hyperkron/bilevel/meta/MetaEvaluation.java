package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Params;
import java.util.List;

/**
 * How meta-parameters do on held-out tasks: adapt on each task's support set, score on its query
 * set, and report the mean with the half-width of its normal 95% confidence interval
 * (1.96 sd / sqrt(n)), as few-shot papers do.
 *
 * @param mean      the mean query score over the tasks
 * @param halfWidth the 95% interval's half-width (0 for a single task)
 * @param tasks     how many tasks were scored
 */
public record MetaEvaluation(double mean, double halfWidth, int tasks) {

    /** The score of {@code phi} over {@code tasks}, each adapted by {@code adaptation}. */
    public static MetaEvaluation of(List<MetaTask> tasks, Params phi, Adaptation adaptation) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a meta-evaluation needs at least one task");
        }
        double[] scores = new double[tasks.size()];
        for (int i = 0; i < scores.length; i++) {
            MetaTask task = tasks.get(i);
            scores[i] = task.metric().of(task.query(), adaptation.adapt(task, phi));
        }
        double mean = 0;
        for (double s : scores) {
            mean += s / scores.length;
        }
        if (scores.length == 1) {
            return new MetaEvaluation(mean, 0, 1);
        }
        double squares = 0;
        for (double s : scores) {
            squares += (s - mean) * (s - mean);
        }
        double sd = Math.sqrt(squares / (scores.length - 1));
        return new MetaEvaluation(mean, 1.96 * sd / Math.sqrt(scores.length), scores.length);
    }
}
