package dev.hyperkron.bench.paper;

import java.util.ArrayList;
import java.util.List;

/** Every claim of the paper the report checks, in the paper's order, evaluated on a run's results. */
public final class Claims {
    private Claims() {
    }

    public static List<ClaimResult> evaluate(PaperResults results) {
        List<ClaimResult> all = new ArrayList<>();
        all.add(IhvpClaims.ihvp(results));
        all.add(IhvpClaims.hypergradients(results));
        all.add(TaskClaims.textMemory(results));
        all.addAll(HypercleaningClaims.all(results));
        all.add(TaskClaims.textAccuracy(results));
        all.add(TaskClaims.meta(results));
        all.add(TaskClaims.poison(results));
        all.add(TaskClaims.unrolling(results));
        return all;
    }
}
