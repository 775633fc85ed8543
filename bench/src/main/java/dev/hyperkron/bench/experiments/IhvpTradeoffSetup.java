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
 * @param curvatureBatch      examples in the batch of the training loss whose Hessian is inverted
 * @param damping             delta in (H + delta I) q = v, for every method and the reference; null to choose it per
 *                            model as {@link #automaticDamping}
 * @param maxIterations       largest CG iteration count T and Neumann term count K
 * @param pcgIterations       largest iteration count of KFAC-preconditioned CG
 * @param repeats             timed repetitions per method (the median is reported)
 * @param warmup              untimed runs of every method before the timed ones (JIT warm-up)
 * @param exactMaxParams      largest parameter count for which the reference is the dense exact solve
 * @param referenceIterations iteration cap of the F64 CG reference for larger models
 * @param seed                seed of the split, the initialisation, the batches and the MC sampling
 */
public record IhvpTradeoffSetup(String dataSet, int[] hidden, int trainSize, int validationSize, int trainSteps,
                                int trainBatch, double learningRate, int curvatureBatch, Double damping,
                                int maxIterations, int pcgIterations, int repeats, int warmup, int exactMaxParams,
                                int referenceIterations, long seed) {

    /**
     * A damping that makes H + delta I positive definite with a margin and not much easier than
     * it must be: twice the most negative Hessian eigenvalue estimate, at least 1% of the largest.
     */
    public static double automaticDamping(HessianSpectrum spectrum) {
        return Math.max(2 * Math.max(0, -spectrum.smallest()), 0.01 * Math.abs(spectrum.largest()));
    }

    /** The damping for a model with this spectrum. */
    public double dampingFor(HessianSpectrum spectrum) {
        return damping != null ? damping : automaticDamping(spectrum);
    }
}
