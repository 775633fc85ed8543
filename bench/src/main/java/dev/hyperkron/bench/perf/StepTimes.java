package dev.hyperkron.bench.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The measured outer steps of one method at one thread count: the inner-phase and hypergradient
 * seconds of every step after warm-up. Medians, not means, because the machine is shared and a
 * few steps get interrupted.
 *
 * @param method        the method's display name, e.g. "AID-KFAC-MC"
 * @param key           the method's command-line name, e.g. "aid-kfac-mc"
 * @param threads       worker threads of the tensor kernels
 * @param inner         seconds of each measured step's inner phase
 * @param hypergradient seconds of each measured step's hypergradient
 */
public record StepTimes(String method, String key, int threads, List<Double> inner, List<Double> hypergradient) {

    public StepTimes {
        if (inner.size() != hypergradient.size() || inner.isEmpty()) {
            throw new IllegalArgumentException("StepTimes of " + method + ": need the same positive number of inner and "
                    + "hypergradient times, got " + inner.size() + " and " + hypergradient.size());
        }
        inner = List.copyOf(inner);
        hypergradient = List.copyOf(hypergradient);
    }

    public int steps() {
        return inner.size();
    }

    public double medianInner() {
        return median(inner);
    }

    public double medianHypergradient() {
        return median(hypergradient);
    }

    /** Median over steps of inner + hypergradient seconds (not the sum of the two medians). */
    public double medianStep() {
        List<Double> total = new ArrayList<>();
        for (int i = 0; i < inner.size(); i++) {
            total.add(inner.get(i) + hypergradient.get(i));
        }
        return median(total);
    }

    /** The hypergradient's share of a step, from the medians. */
    public double hypergradientShare() {
        return medianHypergradient() / (medianInner() + medianHypergradient());
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
