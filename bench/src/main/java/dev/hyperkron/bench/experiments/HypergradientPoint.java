package dev.hyperkron.bench.experiments;

/**
 * One hypergradient method at one budget, scored against the exact hypergradient (the dense
 * damped-Hessian solve) at the same point of the same data-hypercleaning problem.
 *
 * @param method      the method's name as in tables, e.g. "AID-CG(10)"
 * @param budget      iterations T or terms K of an iterative IHVP, 0 for a closed-form one
 * @param millis      median wall-clock milliseconds of the hypergradient (IHVP solver built, solved, mixed term)
 * @param minMillis   the fastest repetition's milliseconds (what a loaded machine disturbs least)
 * @param repetitions timed repetitions
 * @param cosine      cosine similarity to the exact hypergradient
 * @param relativeError ||h - h*|| / ||h*||
 */
public record HypergradientPoint(String method, int budget, double millis, double minMillis, int repetitions, double cosine,
                                 double relativeError) {
}
