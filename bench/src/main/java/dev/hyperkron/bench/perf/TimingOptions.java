package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every timing command shares: thread counts, warm-up, repetitions and the output format. */
public final class TimingOptions {

    @Option(names = "--threads", split = ",", description = "Thread counts to measure (default: ${DEFAULT-VALUE}).",
            defaultValue = "1,2")
    List<Integer> threads;

    @Option(names = "--reps", description = "Timed repetitions per figure; the median is reported (default: ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int reps;

    @Option(names = "--warmup-runs", description = "Untimed runs before timing, at least (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int warmupRuns;

    @Option(names = "--warmup-seconds", description = "Seconds of untimed runs before timing, at least (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    double warmupSeconds;

    @Option(names = "--clock", description = "wall, or thread: CPU time of the calling thread, steadier on a loaded "
            + "machine and the whole cost at 1 thread only (default: ${DEFAULT-VALUE}).", defaultValue = "wall")
    String clock;

    @Option(names = "--tsv", description = "Print 'figure<TAB>threads<TAB>value<TAB>unit' lines instead of tables "
            + "(what bench/scripts/compare-torch.sh reads).")
    boolean tsv;

    /** The timer these options describe, after checking them. */
    MedianTimer timer() {
        for (int t : threads) {
            Checks.threads("--threads", t);
        }
        Checks.atLeast("--reps", reps, 1);
        Checks.atLeast("--warmup-runs", warmupRuns, 0);
        Checks.nonNegative("--warmup-seconds", warmupSeconds);
        MedianTimer.Clock c = switch (clock) {
            case "wall" -> MedianTimer.Clock.WALL;
            case "thread" -> MedianTimer.Clock.THREAD;
            default -> throw new UserError("--clock must be wall or thread, got '" + clock + "'");
        };
        return new MedianTimer(warmupRuns, warmupSeconds, reps, c);
    }
}
