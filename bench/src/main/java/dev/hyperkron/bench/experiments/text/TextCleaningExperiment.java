package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.StepListener;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.Pretrained;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.text.BertConfig;
import dev.hyperkron.nn.text.Trec;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.SequenceClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text data hypercleaning with the top k encoder layers and a classification head trainable:
 * one weight per noisy TREC training question (inner: weighted cross-entropy on the noisy labels;
 * outer: cross-entropy on the clean validation set). The frozen bottom runs once here, over
 * every question, and its hidden states are the data set of every run, so an outer step costs
 * only the top. The trainable top has no dropout: implicit differentiation wants a deterministic
 * inner objective, and the bilevel tasks evaluate the model in eval mode anyway. On a device, the
 * frozen bottom runs there, and the cached states, the top and the weights stay there for every run.
 */
public final class TextCleaningExperiment {
    private final TextCleaningSetup setup;
    private final TextCleaningInputs inputs;
    private final int layers;
    private final Device device;
    private final Dataset train;
    private final Tensor corrupted;
    private final Dataset validation;
    private final Dataset test;
    private final double frozenSeconds;

    /** Runs the frozen bottom (all but the top {@code layers} layers) over train, validation and test, on the host. */
    public TextCleaningExperiment(TextCleaningSetup setup, TextCleaningInputs inputs, int layers) {
        this(setup, inputs, layers, Device.host());
    }

    /** The same with the frozen bottom and every run on {@code device}. */
    public TextCleaningExperiment(TextCleaningSetup setup, TextCleaningInputs inputs, int layers, Device device) {
        int total = requireLayers(layers, inputs);
        this.setup = setup;
        this.inputs = inputs;
        this.layers = layers;
        this.device = device;
        Trec trec = inputs.trec();
        List<String> texts = new ArrayList<>(trec.train().texts());
        texts.addAll(trec.validation().texts());
        texts.addAll(trec.test().texts());
        long start = System.nanoTime();
        Tensor states = new FrozenBottom(inputs.checkpoint(), total - layers, inputs.tokenizer(), setup.maxLength(),
                device).states(texts);
        this.frozenSeconds = (System.nanoTime() - start) * 1e-9;
        int n = trec.train().size();
        int v = trec.validation().size();
        // Split on the host, then each part moved once: every run's problem finds its data already there.
        this.train = Dataset.of(states.slice(0, 0, n), trec.noisyTrainLabels(), Trec.CLASSES).to(device);
        this.validation = Dataset.of(states.slice(0, n, n + v), trec.validation().labels(), Trec.CLASSES).to(device);
        this.test = Dataset.of(states.slice(0, n + v, texts.size()), trec.test().labels(), Trec.CLASSES).to(device);
        this.corrupted = trec.noisyTrainLabels().ne(trec.train().labels()).cast(DType.F32);
    }

    /** Checks that the encoder has at least k layers (so that a list of k fails before any frozen pass); returns L. */
    public static int requireLayers(int layers, TextCleaningInputs inputs) {
        int total = inputs.checkpoint().config().layers();
        if (layers < 0 || layers > total) {
            throw new UserError("--layers must be between 0 and " + total + " (the layers of " + inputs.modelName()
                    + "), got " + layers);
        }
        return total;
    }

    /** Trainable encoder layers k. */
    public int layers() {
        return layers;
    }

    /** Seconds the frozen bottom took over all questions (not part of any run's time). */
    public double frozenSeconds() {
        return frozenSeconds;
    }

    /** Noisy training labels that differ from the gold ones. */
    public int corruptedCount() {
        return (int) corrupted.sum().item();
    }

    /** Padded length of the cached hidden states. */
    public int cachedLength() {
        return train.features().dim(1);
    }

    /** The test questions' cached states and labels. */
    Dataset test() {
        return test;
    }

    /** "top k of L layers of MODEL", the model column of the results. */
    public String modelName() {
        return "top " + layers + " of " + inputs.checkpoint().config().layers() + " layers of " + inputs.modelName();
    }

    /** The trainable top: layers [L - k, L) and a fresh head, the layers starting from the checkpoint. */
    Module top() {
        BertConfig config = inputs.checkpoint().config();
        SequenceClassifier classifier = new SequenceClassifier(
                new BertEncoder(config, false, config.layers() - layers, config.layers(), 0), setup.pooling(),
                Trec.CLASSES, 0);
        return layers == 0 ? classifier : new Pretrained(classifier, inputs.checkpoint().weights());
    }

    /** Untimed outer steps of a contender so that its code is JIT-compiled before the timed runs. */
    public void warmUp(Contender contender, int steps) {
        run(contender, 0, Budget.steps(steps), null);
    }

    /** Runs a contender under a budget with the given seed (of the head's initialisation and the batches). */
    public TextRun run(Contender contender, long seed, Budget budget, StepListener listener) {
        return run(contender, seed, budget, listener, null, 0, false);
    }

    /**
     * The same, checkpointing into {@code checkpointDir} every {@code checkpointEvery} outer steps
     * (and at the end); with {@code resume} a finished run is read back and an interrupted one
     * continues. A checkpoint written with other settings is refused
     * ({@link dev.hyperkron.bilevel.train.ResumeMismatchException}).
     */
    public TextRun run(Contender contender, long seed, Budget budget, StepListener listener, Path checkpointDir,
                       int checkpointEvery, boolean resume) {
        DataHypercleaning problem;
        HypergradientMethod method;
        if (contender.reference() == null) {
            problem = problem(train, corrupted, 0.5, seed);
            method = contender.method();
        } else {
            Dataset data = contender.reference().trainingSet(validation, train);
            problem = problem(data, Tensor.zeros(DType.F32, data.size()), 1, seed);
            method = new Baseline();
        }
        PeakHeldBytes measured = new PeakHeldBytes(method);
        TrainerConfig.Builder config = TrainerConfig.builder(measured)
                .innerSteps(setup.innerSteps())
                .innerOptimizer(setup.innerOptimizerSpec())
                .outerOptimizer(setup.outerOptimizerSpec())
                .budget(budget)
                .seed(seed)
                .evaluateEvery(setup.evaluateEvery())
                .resume(resume)
                .settings(settings(contender));
        if (checkpointDir != null) {
            config.checkpoint(checkpointDir, checkpointEvery);
        }
        if (listener != null) {
            config.listener(listener);
        }
        TrainingResult result = new BilevelTrainer(problem, config.build()).run();
        return new TextRun(new RunRecord(modelName(), contender.name(), result), layers, seed, contender.learnsWeights(),
                contender.reference() != null, measured.peak());
    }

    /** What a checkpoint of a contender's run records and a resume must match. */
    private Map<String, String> settings(Contender contender) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", modelName());
        m.put("--method", contender.name());
        m.put("--layers", Integer.toString(layers));
        m.put("--max-length", Integer.toString(setup.maxLength()));
        m.put("--batch-size", Integer.toString(setup.batchSize()));
        m.put("--inner-steps", Integer.toString(setup.innerSteps()));
        m.put("--inner-optimizer", setup.innerOptimizer().name());
        m.put("--inner-lr", Double.toString(setup.innerLr()));
        m.put("--outer-lr", Double.toString(setup.outerLr()));
        m.put("--weight-decay", Double.toString(setup.weightDecay()));
        m.put("--pooling", setup.pooling().name());
        return m;
    }

    private DataHypercleaning problem(Dataset data, Tensor mask, double initialWeight, long seed) {
        return DataHypercleaning.builder(top(), data, mask, validation, test)
                .trainBatch(setup.batchSize())
                .validationBatch(setup.batchSize())
                .weightDecay(setup.weightDecay())
                .initialWeight(initialWeight)
                .seed(seed + 1)
                .device(device)
                .build();
    }
}
