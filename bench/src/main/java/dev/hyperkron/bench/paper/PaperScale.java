package dev.hyperkron.bench.paper;

import java.util.List;

/**
 * How big the paper run is: {@code QUICK} (about 20 minutes on 2 cores, the default), {@code FULL}
 * (the figure commands' paper-sized runs with 3 seeds: many hours), and {@code SMOKE} (tiny
 * sizes, a couple of minutes: it checks the pipeline, its numbers mean nothing).
 */
public enum PaperScale {
    SMOKE, QUICK, FULL;

    /** The arguments of the IHVP trade-off at the methods' damping (Figure 1, top). */
    List<String> tradeoff() {
        return switch (this) {
            case SMOKE -> List.of("--models", "mlp", "--hidden", "8", "--train-size", "200", "--val-size", "50",
                    "--train-steps", "50", "--batch", "64", "--repeats", "1", "--warmup", "0", "--max-iterations", "5",
                    "--pcg-iterations", "2");
            case QUICK -> List.of("--models", "mlp", "--repeats", "5", "--max-iterations", "50", "--pcg-iterations", "10");
            case FULL -> List.of("--models", "mlp,cnn", "--hidden", "64", "--repeats", "5", "--max-iterations", "100",
                    "--pcg-iterations", "20", "--exact-max-params", "6000");
        };
    }

    /** The arguments shared by the three figure commands. */
    List<String> figures(double quickSeconds) {
        return switch (this) {
            case SMOKE -> List.of("--train-size", "200", "--val-size", "100", "--test-size", "200", "--steps", "4",
                    "--eval-every", "2", "--warmup-steps", "0");
            case QUICK -> List.of("--seconds", fmt(quickSeconds));
            case FULL -> List.of("--full", "--seeds", "3");
        };
    }

    /** text-clean (Figures 1 bottom and 4), given its data folder. */
    List<String> text(String data) {
        return switch (this) {
            case SMOKE -> List.of("--data", data, "--layers", "1", "--method", "aid-kfac,aid-cg,one-step,baseline",
                    "--steps", "2", "--inner-steps", "1", "--batch-size", "8", "--iterations", "2", "--eval-every", "1",
                    "--warmup-steps", "0");
            case QUICK -> List.of("--data", data, "--layers", "1", "--method",
                    "aid-kfac,aid-cg,one-step,baseline,valid-only", "--seconds", "25");
            case FULL -> List.of("--data", data, "--layers", "1,3", "--seeds", "0,1,2");
        };
    }

    /** meta-learn. */
    List<String> meta() {
        return switch (this) {
            case SMOKE -> List.of("--meta-steps", "3", "--test-tasks", "4", "--eval-points", "2", "--warmup-steps", "0",
                    "--inner-steps", "2", "--meta-batch", "2", "--data", "digits", "--hidden", "8");
            case QUICK -> List.of("--seconds", "20");
            case FULL -> List.of("--seconds", "120", "--seeds", "3");
        };
    }

    /** poison. */
    List<String> poison() {
        return switch (this) {
            case SMOKE -> List.of("--train-size", "200", "--val-size", "100", "--test-size", "200", "--budget", "0.05",
                    "--steps", "3", "--warmup-steps", "0");
            case QUICK -> List.of("--budget", "0.03,0.1", "--seconds", "8");
            case FULL -> List.of("--seeds", "3");
        };
    }

    /** Expected seconds of a stage that takes {@code quick} at the quick scale (measured on a quiet 2-core VM). */
    double estimate(double quick) {
        return switch (this) {
            case SMOKE -> Math.max(5, quick / 30);
            case QUICK -> quick;
            case FULL -> quick * 20;
        };
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
