package dev.hyperkron.bench.experiments;

/**
 * Everything that defines the IHVP accuracy/cost experiment apart from the model.
 *
 * @param dataSet             data set name (see {@link DataSets})
 * @param hidden              hidden sizes of the mlp
 * @param trainSize           training examples the model is trained on (and the curvature batch drawn from)
 * @param validationSize      validation examples whose loss gradient is v
 * @param trainSteps          SGD steps (momentum 0.9) before the IHVP is taken
 * @param trainBatch          batch size of those steps
 * @param learningRate        their learning rate
 * @param weightDecay         L2 coefficient of the training (the inner objective's, as in the bilevel methods)
 * @param curvatureBatch      examples in the batch of the training loss whose Hessian is inverted
 * @param damping             the methods' damping: (H + (damping + weightDecay) I) q = v for every method and the
 *                            references, as the hypergradient methods solve it (H the training loss's Hessian, the
 *                            L2 term adding weightDecay); null to choose delta per model as {@link #automaticDamping}
 * @param maxIterations       largest CG iteration count T and Neumann term count K
 * @param pcgIterations       largest iteration count of KFAC-preconditioned CG
 * @param repeats             timed repetitions per method (the median is reported)
 * @param warmup              untimed runs of every method before the timed ones (JIT warm-up)
 * @param exactMaxParams      largest parameter count for which the reference is the dense exact solve
 * @param referenceIterations iteration cap of the F64 CG reference for larger models
 * @param seed                seed of the split, the initialisation, the batches and the MC sampling
 * @param hypergradientNoise  label noise of the hypercleaning problem whose hypergradients are scored (see
 *                            {@link HypergradientAgreement}); negative to skip that part
 */
public record IhvpTradeoffSetup(String dataSet, int[] hidden, int trainSize, int validationSize, int trainSteps,
                                int trainBatch, double learningRate, double weightDecay, int curvatureBatch, Double damping,
                                int maxIterations, int pcgIterations, int repeats, int warmup, int exactMaxParams,
                                int referenceIterations, long seed, double hypergradientNoise) {

    /**
     * A damping that makes H + delta I positive definite with a margin and not much easier than
     * it must be: twice the most negative Hessian eigenvalue estimate, at least 1% of the largest.
     */
    public static double automaticDamping(HessianSpectrum spectrum) {
        return Math.max(2 * Math.max(0, -spectrum.smallest()), 0.01 * Math.abs(spectrum.largest()));
    }

    /** The total delta for a model with this spectrum. */
    public double dampingFor(HessianSpectrum spectrum) {
        return damping != null ? damping + weightDecay : automaticDamping(spectrum);
    }

    /** Whether delta is the methods' (damping + weight decay) rather than the automatic, well-conditioned one. */
    public boolean methodDamping() {
        return damping != null;
    }

    /** How delta was chosen, for reports. */
    public String dampingDescription() {
        return methodDamping()
                ? String.format(java.util.Locale.ROOT, "the methods' damping: --damping %.3g + --weight-decay %.3g",
                        damping, weightDecay)
                : "automatic damping (well-conditioned variant): max(2 |lambda_min|, 0.01 lambda_max)";
    }
}
