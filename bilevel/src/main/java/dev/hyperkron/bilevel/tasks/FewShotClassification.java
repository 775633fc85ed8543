package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.bilevel.meta.MetaTask;
import dev.hyperkron.bilevel.meta.QueryMetric;
import dev.hyperkron.bilevel.meta.TaskDistribution;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * N-way K-shot classification tasks drawn from a pool of classes of a labelled data set: each task
 * picks N classes, K support and Q query examples of each, and relabels the classes 0..N-1 in a
 * random order. Meta-training and meta-test distributions use disjoint class pools, so a
 * meta-test task is made of classes never seen in meta-training.
 */
public final class FewShotClassification implements TaskDistribution {
    private final Dataset data;
    private final int[] classes;
    private final int[][] positions;
    private final int ways;
    private final int shots;
    private final int queries;
    private final Module model;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    /**
     * @param data    the labelled examples
     * @param classes the pool of classes tasks are drawn from (distinct labels of {@code data})
     * @param ways    classes per task N (at most the pool's size)
     * @param shots   support examples per class K
     * @param queries query examples per class Q
     * @param model   the model every task trains: inputs like {@code data}'s, {@code ways} logits
     */
    public FewShotClassification(Dataset data, int[] classes, int ways, int shots, int queries, Module model) {
        if (ways < 2 || shots < 1 || queries < 1) {
            throw new IllegalArgumentException("few-shot tasks need ways >= 2, shots >= 1 and queries >= 1, got ways="
                    + ways + ", shots=" + shots + ", queries=" + queries);
        }
        if (classes.length < ways) {
            throw new IllegalArgumentException(ways + "-way tasks need at least " + ways + " classes in the pool, got "
                    + classes.length + ": " + Arrays.toString(classes));
        }
        int[][] byClass = data.positionsByClass();
        Set<Integer> seen = new HashSet<>();
        this.positions = new int[classes.length][];
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            if (c < 0 || c >= data.classes() || !seen.add(c)) {
                throw new IllegalArgumentException("class " + c + " of the pool " + Arrays.toString(classes) + " is "
                        + (seen.contains(c) && c >= 0 && c < data.classes() ? "repeated" : "not a label of the data set (0 to "
                        + (data.classes() - 1) + ")"));
            }
            if (byClass[c].length < shots + queries) {
                throw new IllegalArgumentException("class " + c + " has " + byClass[c].length + " examples, fewer than the "
                        + (shots + queries) + " (shots + queries) a task takes from it");
            }
            positions[i] = byClass[c];
        }
        this.data = data;
        this.classes = classes.clone();
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.model = model;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public MetaTask sample(Rng rng) {
        int[] chosen = rng.permutation(classes.length);
        int[] support = new int[ways * shots];
        int[] query = new int[ways * queries];
        long[] supportLabels = new long[support.length];
        long[] queryLabels = new long[query.length];
        for (int label = 0; label < ways; label++) {
            int[] pool = positions[chosen[label]];
            int[] order = rng.permutation(pool.length);
            for (int k = 0; k < shots; k++) {
                support[label * shots + k] = pool[order[k]];
                supportLabels[label * shots + k] = label;
            }
            for (int q = 0; q < queries; q++) {
                query[label * queries + q] = pool[order[shots + q]];
                queryLabels[label * queries + q] = label;
            }
        }
        return new MetaTask(batch(support, supportLabels), batch(query, queryLabels), QueryMetric.ACCURACY);
    }

    private LossBatch batch(int[] at, long[] labels) {
        return LossBatch.of(model, data.subset(at).features(), Tensor.of(labels, labels.length), loss);
    }
}
