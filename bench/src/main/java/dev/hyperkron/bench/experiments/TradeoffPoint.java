package dev.hyperkron.bench.experiments;

/**
 * One method at one budget in the IHVP trade-off: how long it took (median over repetitions,
 * including building its operators) and how close its answer came to the reference.
 *
 * @param method        method name
 * @param budget        iterations T or terms K of an iterative method, 0 for a closed-form one
 * @param seconds       median wall-clock seconds
 * @param minSeconds    fastest repetition
 * @param maxSeconds    slowest repetition
 * @param repetitions   timed repetitions that reached this budget
 * @param cosine        cosine similarity of the answer to the damped-Hessian reference q* (median over repetitions)
 * @param relativeError ||q - q*|| / ||q*|| (median over repetitions)
 * @param ggnCosine     cosine similarity to the damped-GGN reference (median over repetitions)
 */
public record TradeoffPoint(String method, int budget, double seconds, double minSeconds, double maxSeconds,
                            int repetitions, double cosine, double relativeError, double ggnCosine) {
}
