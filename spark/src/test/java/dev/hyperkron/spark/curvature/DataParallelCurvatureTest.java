package dev.hyperkron.spark.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bilevel.influence.Influence;
import dev.hyperkron.bilevel.influence.Query;
import dev.hyperkron.bilevel.influence.TrainedModel;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.optim.Adam;
import dev.hyperkron.nn.optim.AdamSettings;
import dev.hyperkron.spark.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel curvature on the embedded digits and local[2] Spark against the single-machine
 * computations of the bilevel module: equal up to floating-point summation order.
 */
class DataParallelCurvatureTest {
    private static final int TRAIN = 240;
    private static final int[] HIDDEN = {16};
    private static final double WEIGHT_DECAY = 0.03;

    private static SparkSession spark;
    private static Dataset train;
    private static Dataset validation;
    private static Params trained;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start();
        Dataset digits = Digits.load();
        Normalizer normalizer = Normalizer.standardize(digits.slice(0, TRAIN));
        train = normalizer.apply(digits.slice(0, TRAIN)).cast(DType.F64);
        validation = normalizer.apply(digits.slice(TRAIN, TRAIN + 60)).cast(DType.F64);
        // a few full-batch Adam steps: the identities hold anywhere, a trained point is the realistic one
        TrainedModel start = TrainedModel.of(model(), train.features(), train.labels(), new CrossEntropyLoss(),
                WEIGHT_DECAY, model().init(new Rng(1), DType.F64));
        Adam adam = new Adam(AdamSettings.adam().learningRate(0.02).build());
        Params theta = start.theta();
        for (int step = 0; step < 40; step++) {
            theta = adam.step(theta, Grad.grad(t -> start.objective().at(t, Params.empty()), theta));
        }
        trained = theta;
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void distributedEkfacInfluenceEqualsTheSingleMachineScoresInF64() {
        assertInfluenceMatches("ekfac", DType.F64, 1e-10);
    }

    @Test
    void distributedKfacInfluenceEqualsTheSingleMachineScoresInF64() {
        assertInfluenceMatches("kfac", DType.F64, 1e-10);
    }

    @Test
    void distributedEkfacInfluenceEqualsTheSingleMachineScoresInF32() {
        assertInfluenceMatches("ekfac", DType.F32, 1e-5);
    }

    @Test
    void meanGradientIsTheSumOfPartitionsPerExampleGradients() {
        DataParallelCurvature c = new DataParallelCurvature(ExampleFrame.of(spark, train, 5), recipe(DType.F64));
        Var x = Var.constant(train.features());
        Params expected = Grad.grad(t -> new CrossEntropyLoss().apply(model().apply(t, x,
                dev.hyperkron.nn.Context.eval()), train.labels(), dev.hyperkron.nn.loss.Reduction.MEAN), trained);
        assertMaxScaledError(expected.flatten().toDoubleArray(), c.meanGradient(trained).flatten().toDoubleArray(), 1e-12);
    }

    @Test
    void fullBatchHypergradientEqualsImplicitDifferentiationWithEkfac() {
        double[] weights = Tensor.rand(new Rng(4), DType.F64, TRAIN).toDoubleArray();
        Params lambda = Params.single(DataHypercleaning.WEIGHTS, Var.leaf(Tensor.of(weights, TRAIN)));
        DataHypercleaning problem = DataHypercleaning.builder(model(), train, Tensor.zeros(DType.F64, TRAIN), validation,
                validation).dtype(DType.F64).weightDecay(WEIGHT_DECAY).build();
        double[] expected = new ImplicitDifferentiation(IhvpMethods.ekfac().damping(1e-3))
                .hypergradient(problem, trained, lambda, new Rng(0)).value().value(DataHypercleaning.WEIGHTS).toDoubleArray();
        double[] actual = DistributedHypergradient.ofExampleWeights(
                new DataParallelCurvature(ExampleFrame.of(spark, train, 3), recipe(DType.F64)),
                new DataParallelCurvature(ExampleFrame.of(spark, validation, 2), recipe(DType.F64)),
                trained, weights, WEIGHT_DECAY, 1e-3, 64);
        assertMaxScaledError(expected, actual, 1e-10);
    }

    @Test
    void partitionsWithoutExamplesAddNothing() {
        Dataset few = train.slice(0, 5);
        DataParallelCurvature c = new DataParallelCurvature(ExampleFrame.of(spark, few, 8), recipe(DType.F64));
        TrainedModel single = TrainedModel.of(model(), few.features(), few.labels(), new CrossEntropyLoss(), WEIGHT_DECAY,
                trained);
        Query query = new Query("validation", validation.features(), validation.labels());
        double[] expected = Influence.using(IhvpMethods.ekfac().damping(0)).scores(single, query, new Rng(0)).scores();
        double[] actual = DistributedInfluence.scores(c, trained, WEIGHT_DECAY, query, "ekfac", 0, 64).scores();
        assertMaxScaledError(expected, actual, 1e-10);
    }

    private static void assertInfluenceMatches(String method, DType dtype, double tolerance) {
        Params theta = trained.cast(dtype);
        Dataset data = train.cast(dtype);
        TrainedModel single = TrainedModel.of(model(), data.features(), data.labels(), new CrossEntropyLoss(),
                WEIGHT_DECAY, theta);
        Query query = new Query("validation", validation.features().cast(dtype), validation.labels());
        var ihvp = method.equals("ekfac") ? IhvpMethods.ekfac().damping(0) : IhvpMethods.kfac().damping(0);
        double[] expected = Influence.using(ihvp).batchSize(64).scores(single, query, new Rng(0)).scores();
        // 7 partitions of 34 or 35 examples: uneven shards, as a cluster would have
        DataParallelCurvature c = new DataParallelCurvature(ExampleFrame.of(spark, data, 7), recipe(dtype));
        DistributedInfluence.Scores actual = DistributedInfluence.scores(c, theta, WEIGHT_DECAY, query, method, 0, 50);
        assertEquals(TRAIN, actual.scores().length);
        assertMaxScaledError(expected, actual.scores(), tolerance);
    }

    static void assertMaxScaledError(double[] expected, double[] actual, double tol) {
        double relative = DistributedInfluence.maxRelativeDifference(expected, actual);
        assertTrue(relative <= tol, "max difference relative to the largest value: " + relative + " > " + tol);
    }

    private static Module model() {
        return ModelSpec.build("mlp", train.exampleShape(), 10, HIDDEN, Activation.tanh());
    }

    private static ModelRecipe recipe(DType dtype) {
        return new ModelRecipe("mlp", train.exampleShape().dims(), 10, HIDDEN, "tanh", dtype);
    }
}
