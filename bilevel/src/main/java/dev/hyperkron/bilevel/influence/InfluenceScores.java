package dev.hyperkron.bilevel.influence;

import dev.hyperkron.kfac.SolveReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The influence of every training example on one query, in Koh and Liang's convention:
 * I(z_i) = -grad L_query(theta*)^T H^-1 grad l(z_i; theta*) = dL_query/d eps for the objective
 * g + eps l(z_i), the rate at which the query loss changes as z_i is upweighted. Positive scores
 * belong to opponents (upweighting z_i raises the query loss, so removing it would help), negative
 * scores to proponents. Removing z_i (eps = -1/D) changes the query loss by about
 * -I(z_i) / D, which {@link #predictedRemovalChange} gives.
 *
 * @param method         the IHVP method that gave H^-1 grad L_query, e.g. "exact" or "EKFAC"
 * @param scores         I(z_i) per training position
 * @param exampleShare   1/D, one example's weight in the training objective
 * @param report         how the IHVP was solved
 * @param ihvpSeconds    time to build the solver and solve once
 * @param scoringSeconds time to dot every training example's gradient with the solution
 */
public record InfluenceScores(String method, double[] scores, double exampleShare, SolveReport report,
                              double ihvpSeconds, double scoringSeconds) {

    public InfluenceScores {
        scores = scores.clone();
    }

    /** A copy of the scores. */
    @Override
    public double[] scores() {
        return scores.clone();
    }

    /** I(z_i) of the example at {@code position}. */
    public double score(int position) {
        return scores[position];
    }

    /** The number of training examples scored. */
    public int size() {
        return scores.length;
    }

    /** Build and solve plus scoring time. */
    public double seconds() {
        return ihvpSeconds + scoringSeconds;
    }

    /** The first-order change of the query loss when the example at {@code position} is left out: -I(z) / D. */
    public double predictedRemovalChange(int position) {
        return -scores[position] * exampleShare;
    }

    /** One training example and its score. */
    public record Ranked(int position, double score) {
    }

    /** The k examples with the most negative scores: upweighting them lowers the query loss most. */
    public List<Ranked> proponents(int k) {
        return ranked(k, Comparator.comparingDouble(Ranked::score));
    }

    /** The k examples with the most positive scores: upweighting them raises the query loss most. */
    public List<Ranked> opponents(int k) {
        return ranked(k, Comparator.comparingDouble(Ranked::score).reversed());
    }

    private List<Ranked> ranked(int k, Comparator<Ranked> order) {
        if (k < 0) {
            throw new IllegalArgumentException("cannot list " + k + " examples");
        }
        return new ArrayList<>(IntStream.range(0, scores.length).mapToObj(i -> new Ranked(i, scores[i])).sorted(order)
                .limit(k).toList());
    }
}
