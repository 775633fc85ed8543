package dev.hyperkron.spark.curvature;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.influence.TrainedModel;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.EkfacOperator;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.KroneckerFactors;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Reduction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sums over the examples of a partitioned {@link ExampleFrame}, computed where the partitions
 * live and added by {@code treeAggregate}: KFAC's factors A and G, EKFAC's refitted diagonal in
 * the eigenbases of the summed factors, mean gradients, and per-example gradient dot products.
 * Each partition runs the kfac module's own estimators on its examples; weighted by n_s/N the
 * partitions' results are exactly the single-machine quantities (ShardedFitTest), up to the
 * order of floating-point summation.
 */
public final class DataParallelCurvature {
    private static final int TREE_DEPTH = 2;

    private final Dataset<Row> examples;
    private final ModelRecipe recipe;
    private final JavaSparkContext spark;

    public DataParallelCurvature(Dataset<Row> examples, ModelRecipe recipe) {
        this.examples = examples;
        this.recipe = recipe;
        this.spark = JavaSparkContext.fromSparkContext(examples.sparkSession().sparkContext());
    }

    public ModelRecipe recipe() {
        return recipe;
    }

    /** Partitions of the examples (the number of parallel tasks per pass). */
    public int partitions() {
        return examples.javaRDD().getNumPartitions();
    }

    /**
     * KFAC (type-2 Fisher, the kfac module's defaults) of the mean loss over every example at
     * {@code theta}, each example's loss weighted by weights[position] when weights is not null.
     */
    public KfacOperator kfac(Params theta, double[] weights) {
        Broadcast<double[]> w = weights == null ? null : spark.broadcast(weights);
        ModelRecipe r = recipe;
        ArraySums sums = sumOverShards(theta, (shard, model, params) -> {
            KfacOperator k = KfacOperator.builder(params)
                    .build(List.of(shard.lossBatch(model, r.loss(), weightsOf(w), r.dtype())));
            return ArraySums.of(factors(k), shard.size(), shard.size());
        });
        return withFactors(layout(theta, weights), sums.means(recipe.dtype()));
    }

    /** A0, G0, A1, G1, ...: a KFAC operator's factors as one list, as partitions send them. */
    private static List<Tensor> factors(KfacOperator kfac) {
        List<Tensor> factors = new ArrayList<>();
        for (KroneckerFactors f : kfac.factors()) {
            factors.add(f.a());
            factors.add(f.g());
        }
        return factors;
    }

    /** The layout's layers with factors A0, G0, A1, G1, ... */
    private static KfacOperator withFactors(KfacOperator layout, List<Tensor> factors) {
        List<Tensor> a = new ArrayList<>();
        List<Tensor> g = new ArrayList<>();
        for (int i = 0; i < factors.size(); i += 2) {
            a.add(factors.get(i));
            g.add(factors.get(i + 1));
        }
        return layout.withFactors(a, g);
    }

    /**
     * EKFAC: {@link #kfac} over every example, whose factors are broadcast so that each partition
     * refits the diagonal in their eigenbases; the refits are summed the same way.
     */
    public EkfacOperator ekfac(Params theta, double[] weights) {
        KfacOperator kfac = kfac(theta, weights);
        Broadcast<ArraySums> kfacFactors = spark.broadcast(ArraySums.of(factors(kfac), 1, 1));
        Broadcast<double[]> w = weights == null ? null : spark.broadcast(weights);
        ModelRecipe r = recipe;
        ArraySums sums = sumOverShards(theta, (shard, model, params) -> {
            KfacOperator.Builder builder = KfacOperator.builder(params);
            KfacOperator global = withFactors(builder.build(List.of(shard.first().lossBatch(model, r.loss(),
                    weightsOf(w), r.dtype()))), kfacFactors.value().means(r.dtype()));
            EkfacOperator refit = builder.refitEkfac(global,
                    List.of(shard.lossBatch(model, r.loss(), weightsOf(w), r.dtype())));
            return ArraySums.of(refit.scalings(), shard.size(), shard.size());
        });
        return EkfacOperator.withScalings(kfac, sums.means(recipe.dtype()));
    }

    /** The mean over every example of the loss's gradient at {@code theta}: sums of per-example gradients. */
    public Params meanGradient(Params theta) {
        ModelRecipe r = recipe;
        ArraySums sums = sumOverShards(theta, (shard, model, params) -> {
            Params sum = Grad.grad(t -> r.loss().apply(model.apply(t, Var.constant(shard.inputs()), Context.eval()),
                    shard.labels(), Reduction.SUM), params);
            return ArraySums.of(List.of(sum.flatten()), 1, shard.size());
        });
        return theta.unflatten(sums.means(recipe.dtype()).get(0));
    }

    /**
     * &lt;grad l(z_i; theta), direction&gt; for every example, indexed by position: per-example
     * Jacobian-vector products (the bilevel module's {@link TrainedModel#exampleGradientsDot}) in
     * every partition, over batches of {@code batchSize}, with the direction broadcast.
     */
    public double[] exampleGradientsDot(Params theta, Params direction, int batchSize) {
        Broadcast<double[]> flat = spark.broadcast(ModelRecipe.flat(theta));
        Broadcast<double[]> dir = spark.broadcast(ModelRecipe.flat(direction));
        ModelRecipe r = recipe;
        List<double[]> parts = examples.javaRDD().mapPartitions((Iterator<Row> rows) -> {
            Shard shard = Shard.of(rows, r.exampleDims(), r.dtype());
            if (shard == null) {
                return Collections.<double[]>emptyIterator();
            }
            Module model = r.build();
            Params params = r.params(model, flat.value());
            double[] dots = TrainedModel.of(model, shard.inputs(), shard.labels(), r.loss(), 0, params)
                    .exampleGradientsDot(r.params(model, dir.value()), batchSize);
            List<double[]> pairs = new ArrayList<>();
            for (int i = 0; i < dots.length; i++) {
                pairs.add(new double[] {shard.positions()[i], dots[i]});
            }
            return pairs.iterator();
        }).collect();
        double[] out = new double[parts.size()];
        boolean[] seen = new boolean[parts.size()];
        for (double[] p : parts) {
            int position = (int) p[0];
            if (position < 0 || position >= out.length || seen[position]) {
                throw new IllegalStateException("example positions must be 0.." + (out.length - 1) + ", each once; got "
                        + position + (position >= 0 && position < out.length ? " twice" : ""));
            }
            seen[position] = true;
            out[position] = p[1];
        }
        return out;
    }

    private static double[] weightsOf(Broadcast<double[]> weights) {
        return weights == null ? null : weights.value();
    }

    /** What one partition contributes to a sum: computed from its examples, a model and theta there. */
    private interface ShardSum extends java.io.Serializable {
        ArraySums of(Shard shard, Module model, Params theta);
    }

    /**
     * The sum of {@code perShard} over the partitions that hold examples, added by
     * {@code treeAggregate}; theta is broadcast and every partition builds its own model.
     */
    private ArraySums sumOverShards(Params theta, ShardSum perShard) {
        Broadcast<double[]> flat = spark.broadcast(ModelRecipe.flat(theta));
        ModelRecipe r = recipe;
        JavaRDD<ArraySums> parts = examples.javaRDD().mapPartitions((Iterator<Row> rows) -> {
            Shard shard = Shard.of(rows, r.exampleDims(), r.dtype());
            if (shard == null) {
                return Collections.<ArraySums>emptyIterator();
            }
            Module model = r.build();
            return List.of(perShard.of(shard, model, r.params(model, flat.value()))).iterator();
        });
        return parts.treeAggregate(ArraySums.ZERO, ArraySums::plus, ArraySums::plus, TREE_DEPTH);
    }

    /** KFAC's layer layout at theta from one example: withFactors then puts the summed factors in. */
    private KfacOperator layout(Params theta, double[] weights) {
        List<Row> one = examples.limit(1).collectAsList();
        Shard shard = Shard.of(one.iterator(), recipe.exampleDims(), recipe.dtype());
        if (shard == null) {
            throw new IllegalArgumentException("curvature needs at least one example; the frame is empty");
        }
        Module model = recipe.build();
        return KfacOperator.builder(theta).build(List.of(shard.lossBatch(model, recipe.loss(), weights, recipe.dtype())));
    }
}
