package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.influence.NewtonMinimizer;
import dev.hyperkron.core.Rng;

/**
 * The honest measure of a poisoning attack: a fresh victim trained from scratch to a minimum of
 * its loss on the clean training set, and another on the clean set plus the final poison, both
 * compared on the test set. The attacker's own theta only ever saw a few inner steps per outer
 * step; a real victim trains to convergence on what it is given.
 */
public final class AttackEvaluation {
    private AttackEvaluation() {
    }

    /**
     * The two retrained victims.
     *
     * @param clean                  test metrics of the victim trained on the clean set alone
     * @param poisoned               test metrics of the victim trained on clean + poison
     * @param cleanValidationLoss    the clean victim's validation cross-entropy
     * @param poisonedValidationLoss the poisoned victim's validation cross-entropy (what the attack raises)
     * @param converged              whether both trainings reached the minimizer's gradient tolerance
     */
    public record Outcome(ClassificationMetrics clean, ClassificationMetrics poisoned, double cleanValidationLoss,
                          double poisonedValidationLoss, boolean converged) {
        /** Clean test accuracy minus poisoned test accuracy: what the attack cost the victim. */
        public double accuracyDrop() {
            return clean.accuracy() - poisoned.accuracy();
        }
    }

    /** Retrains both victims from one fresh initialisation drawn from {@code rng}, the poison as {@code lambda} has it. */
    public static Outcome retrain(DataPoisoning problem, Params lambda, NewtonMinimizer minimizer, Rng rng) {
        Params start = problem.initialInner(rng);
        NewtonMinimizer.Result clean = minimize(minimizer, problem.cleanLoss(), start, lambda);
        NewtonMinimizer.Result poisoned = minimize(minimizer, problem.victimLoss(), start, lambda);
        return new Outcome(problem.evaluate(clean.theta()), problem.evaluate(poisoned.theta()),
                problem.validationLoss(clean.theta()), problem.validationLoss(poisoned.theta()),
                clean.converged() && poisoned.converged());
    }

    private static NewtonMinimizer.Result minimize(NewtonMinimizer minimizer, InnerObjective loss, Params start,
                                                   Params lambda) {
        Params fixed = lambda.detached();
        return minimizer.minimize(theta -> loss.at(theta, fixed), start);
    }
}
