package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.experiments.IhvpTradeoffExperiment;
import dev.hyperkron.bench.experiments.IhvpTradeoffSetup;
import dev.hyperkron.bench.experiments.ModelTradeoff;
import dev.hyperkron.bench.experiments.TradeoffReport;
import dev.hyperkron.core.kernels.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The paper's Figure 1 (top): accuracy (cosine to the exact damped IHVP, Hessian and GGN) against wall-clock cost of
 * CG, MINRES, Neumann, KFAC, EKFAC and PCG at the methods' damping, and downstream the same methods' hypergradients.
 */
@Command(name = "ihvp-tradeoff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Accuracy/cost trade-off of IHVP solvers at the methods' damping (the paper's Figure 1, top), "
                + "and of the hypergradients built on them.",
                "For each model, trained "
                + "for a while with the methods' weight decay: H = Hessian of the training loss on one batch, v = "
                + "gradient of the validation loss, delta = --damping + --weight-decay (what the hypergradient methods "
                + "solve; H + delta I is then often indefinite), and two references in F64: the damped-Hessian solve "
                + "q* (dense, LU where indefinite, or MINRES to 1e-10 for large models) and the damped-GGN solve (what "
                + "KFAC approximates). Then CG (T = 1..N), MINRES, Neumann (K = 1..N), KFAC (type-2 and MC-1, heuristic "
                + "and exact damping), EKFAC and KFAC-preconditioned CG: cosine similarity to both references against "
                + "wall-clock time including building their operators (median over repetitions).",
                "Downstream, on data hypercleaning of the same data (--noise), every AID method's hypergradient is "
                + "scored against the exact one (dense damped-Hessian solve) at the same point.",
                "--damping auto keeps the earlier, well-conditioned variant: delta from a Lanczos estimate of the "
                + "spectrum, labelled as such in every output.",
                "Prints tables and writes tradeoff.csv, hypergradients.csv, tradeoff.json and cosine-vs-time plots per "
                + "model (SVG/PNG)."})
public final class IhvpTradeoffCommand implements Callable<Integer> {

    @Option(names = "--data", description = "digits (embedded) or fashion (/usr/share/datasets/fashion-mnist), idx:DIR, "
            + "cifar:DIR (default: ${DEFAULT-VALUE}).", defaultValue = "digits")
    String data;

    @Option(names = "--models", split = ",", description = "Comma-separated models: mlp, cnn (LeNet), linear "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "mlp,cnn")
    List<String> models;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the mlp (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int[] hidden;

    @Option(names = "--train-size", description = "Training examples (default: ${DEFAULT-VALUE}).", defaultValue = "1200")
    int trainSize;

    @Option(names = "--val-size", description = "Validation examples; v is their loss gradient (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int validationSize;

    @Option(names = "--train-steps", description = "SGD steps (momentum 0.9) before the IHVP (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int trainSteps;

    @Option(names = "--train-batch", description = "Batch size of those steps (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int trainBatch;

    @Option(names = "--lr", description = "Learning rate of those steps (default: ${DEFAULT-VALUE}).", defaultValue = "0.02")
    double learningRate;

    @Option(names = "--weight-decay", description = "L2 coefficient of the training and of the inner objective, part of "
            + "delta as in the hypergradient methods (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    double weightDecay;

    @Option(names = "--batch", description = "Examples in the training-loss batch whose Hessian is inverted "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int batch;

    @Option(names = "--damping", description = "The methods' damping: delta = damping + --weight-decay in "
            + "(H + delta I) q = v, as the hypergradient methods solve it; or 'auto' (the well-conditioned variant): per "
            + "model delta = max(2 |lambda_min|, 0.01 lambda_max) from a Lanczos estimate, so that H + delta I is positive "
            + "definite (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    String damping;

    @Option(names = "--noise", description = "Label noise of the hypercleaning problem whose hypergradients are "
            + "scored against the exact one (default: ${DEFAULT-VALUE}).", defaultValue = "0.5")
    double noise;

    @Option(names = "--no-hypergradients", description = "Skip the downstream hypergradient agreement.")
    boolean noHypergradients;

    @Option(names = "--max-iterations", description = "Largest CG T and Neumann K (default: ${DEFAULT-VALUE}).",
            defaultValue = "50")
    int maxIterations;

    @Option(names = "--pcg-iterations", description = "Largest T of KFAC-preconditioned CG (default: ${DEFAULT-VALUE}).",
            defaultValue = "20")
    int pcgIterations;

    @Option(names = "--repeats", description = "Timed repetitions per method; medians are reported "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int repeats;

    @Option(names = "--warmup", description = "Untimed runs of every method first (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int warmup;

    @Option(names = "--exact-max-params", description = "Largest parameter count for the dense exact reference; above it "
            + "the reference is F64 CG to 1e-10 (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    int exactMaxParams;

    @Option(names = "--reference-iterations", description = "Iteration cap of the F64 CG reference "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "5000")
    int referenceIterations;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        validate();
        threads.apply();
        Path out = run.folder();
        IhvpTradeoffSetup setup = new IhvpTradeoffSetup(data, hidden, trainSize, validationSize, trainSteps, trainBatch,
                learningRate, weightDecay, batch, parseDamping(), maxIterations, pcgIterations, repeats, warmup,
                exactMaxParams, referenceIterations, run.seed(), noHypergradients ? -1 : noise);
        IhvpTradeoffExperiment experiment = new IhvpTradeoffExperiment(setup);
        run.out().printf("IHVP trade-off on %s: %d training / %d validation examples, %s, %d timed repetitions "
                + "(after %d warm-up) on %d threads.%n", data, trainSize, validationSize, setup.dampingDescription(),
                repeats, warmup, Parallel.threads());
        run.out().println("CG and Neumann budgets are prefixes of one run of " + maxIterations + " iterations (PCG: "
                + pcgIterations + "), timed from the start of the run, which builds the first-order graph (PCG also the "
                + "KFAC inverse); KFAC and EKFAC times include computing and inverting the factors.");
        List<ModelTradeoff> results = new ArrayList<>();
        for (String model : models) {
            ModelTradeoff result = experiment.run(model.trim(), run.out()::println);
            result.notes().forEach(note -> run.out().println(result.model() + ": " + note));
            results.add(result);
        }
        TradeoffReport report = new TradeoffReport(setup, results);
        run.out().println();
        run.out().println("Time to reach a cosine similarity (median seconds; iterations in parentheses):");
        run.out().print(report.summary());
        run.out().println();
        run.out().print(report.selected());
        run.out().println();
        if (!noHypergradients) {
            run.out().println("Hypergradients on data hypercleaning, against the exact one (median ms):");
            run.out().print(report.hypergradients());
            run.out().println();
        }
        for (Path p : report.write(out)) {
            run.out().println("wrote " + p);
        }
        return 0;
    }

    private Double parseDamping() {
        if (damping.equals("auto")) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(damping);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 0)) {
            throw new UserError("--damping must be 'auto' or a number >= 0, got '" + damping + "'");
        }
        return value;
    }

    private void validate() {
        for (String m : models) {
            if (!List.of("mlp", "cnn", "linear").contains(m.trim())) {
                throw new UserError("unknown model '" + m + "' in --models: use mlp, cnn or linear");
            }
        }
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
        Checks.atLeast("--train-size", trainSize, 1);
        Checks.atLeast("--val-size", validationSize, 1);
        Checks.atLeast("--train-steps", trainSteps, 0);
        Checks.atLeast("--train-batch", trainBatch, 1);
        Checks.positive("--lr", learningRate);
        Checks.nonNegative("--weight-decay", weightDecay);
        if (!(noise >= 0 && noise < 1)) {
            throw new UserError("--noise must be in [0, 1), got " + noise);
        }
        Checks.atLeast("--batch", batch, 1);
        Checks.atLeast("--max-iterations", maxIterations, 1);
        Checks.atLeast("--pcg-iterations", pcgIterations, 1);
        Checks.atLeast("--repeats", repeats, 1);
        Checks.atLeast("--warmup", warmup, 0);
        Checks.atLeast("--exact-max-params", exactMaxParams, 0);
        Checks.atLeast("--reference-iterations", referenceIterations, 1);
        threads.validate();
        parseDamping();
    }

}
