package dev.hyperkron.bench.experiments;

import java.util.List;

/**
 * The trade-off measured for one model: the problem's facts (training, curvature scale,
 * reference) and one point per method and budget.
 *
 * @param model              model description, e.g. "mlp(32)"
 * @param parameters         parameter count
 * @param trainLoss          training loss at the end of training
 * @param validationAccuracy validation accuracy of the trained model
 * @param spectrum           extreme Hessian eigenvalue estimates (Lanczos)
 * @param damping            the damping delta used
 * @param alpha              the Neumann step 1 / (lambdaMax + damping)
 * @param reference          how q* (the damped-Hessian reference) was computed
 * @param ggnReference       how the damped-GGN reference was computed
 * @param referenceSeconds   time of both reference computations
 * @param notes              anything a reader must know (early CG stops, ...)
 * @param points             the measured points
 * @param hypergradients     the hypergradient agreement points (empty when not measured)
 */
public record ModelTradeoff(String model, int parameters, double trainLoss, double validationAccuracy,
                            HessianSpectrum spectrum, double damping, double alpha, String reference, String ggnReference,
                            double referenceSeconds, List<String> notes, List<TradeoffPoint> points,
                            List<HypergradientPoint> hypergradients) {
}
