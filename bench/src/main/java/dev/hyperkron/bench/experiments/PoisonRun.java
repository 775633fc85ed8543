package dev.hyperkron.bench.experiments;

/**
 * One poisoning run as the report shows it: the attack's budget and method, what the attacker's
 * own victim reached, what victims retrained from scratch reached, and the defense's scores.
 *
 * @param seed                 the experiment's seed
 * @param budget               poison as a fraction of the training set
 * @param poisonCount          poison examples P
 * @param method               the hypergradient method, or {@link #FLIPPED} for the unoptimized start
 * @param steps                outer steps taken
 * @param seconds              the attack's wall-clock seconds (outer steps only)
 * @param status               COMPLETED, or DIVERGED with the trainer's message
 * @param attackValidationLoss the validation loss of the attacker's inner model at its last step (NaN: no step)
 * @param cleanValidationLoss  validation loss of the victim retrained on the clean set
 * @param victimValidationLoss validation loss of the victim retrained on clean + poison
 * @param cleanAccuracy        test accuracy of the clean victim
 * @param poisonedAccuracy     test accuracy of the poisoned victim
 * @param accuracyDrop         clean minus poisoned test accuracy
 * @param converged            whether both retrainings reached the gradient tolerance
 * @param defensePrecision     hypercleaning's precision at flagging the poison (NaN: no defense run)
 * @param defenseRecall        its recall
 * @param defenseF1            its F1
 */
public record PoisonRun(long seed, double budget, int poisonCount, String method, int steps, double seconds,
                        String status, double attackValidationLoss, double cleanValidationLoss,
                        double victimValidationLoss, double cleanAccuracy, double poisonedAccuracy, double accuracyDrop,
                        boolean converged, double defensePrecision, double defenseRecall, double defenseF1) {

    /** The method name of the reference row: the poison as it starts, label-flipped copies, not optimized. */
    public static final String FLIPPED = "flipped copies";
}
