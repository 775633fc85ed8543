package dev.hyperkron.bilevel.influence;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.SupervisedLoss;
import java.util.Objects;

/**
 * Leave-one-out retraining, the ground truth influence functions approximate: the training
 * objective without one example (its weight set to 0, the divisor D kept, so that the removal is
 * exactly eps = -1/D of {@link InfluenceScores}) is minimized again from theta* to a tight gradient
 * norm, and the query loss is compared. Warm-starting at theta* is Koh and Liang's protocol: for a
 * convex objective it reaches the unique minimizer, for a non-convex one the minimizer in theta*'s
 * basin, which is the one the influence function describes.
 */
public final class LeaveOneOut {
    private final NewtonMinimizer minimizer;

    public LeaveOneOut(NewtonMinimizer minimizer) {
        this.minimizer = Objects.requireNonNull(minimizer, "minimizer");
    }

    /**
     * The measured effect of leaving one example out.
     *
     * @param queryLossChange L_query(theta*_{-z}) - L_query(theta*)
     * @param retraining      how the retraining ended (check {@code converged})
     */
    public record Change(int position, double queryLossChange, NewtonMinimizer.Result retraining) {
    }

    /** Retrains {@code trained} without the example at {@code position} and measures the query loss change. */
    public Change retrainWithout(TrainedModel trained, Query query, int position) {
        trained.requirePosition(position);
        SupervisedLoss without = trained.objectiveWithout(position);
        NewtonMinimizer.Result r = minimizer.minimize(t -> without.at(t, Params.empty()), trained.theta());
        double change = trained.queryLoss(query, r.theta()).item() - trained.queryLoss(query);
        return new Change(position, change, r);
    }
}
