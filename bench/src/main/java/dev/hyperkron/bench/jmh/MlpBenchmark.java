package dev.hyperkron.bench.jmh;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bench.perf.GraphOverhead;
import dev.hyperkron.bench.perf.MlpWorkload;
import dev.hyperkron.bench.perf.TrainingWorkload;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.kernels.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The computations of {@code hyperkron bench-autodiff} and {@code bench-training} under JMH: forward,
 * gradient and Hessian-vector product of the MLP 784-256-10 on a batch of 128, a training step of
 * the MLP and of LeNet, and a chain of 1000 recorded adds of one-element tensors. Sample mode, so
 * the report has the median (p0.50) that the command and the PyTorch scripts print.
 * Run: {@code java --add-modules jdk.incubator.vector -cp "bench/target/classes:bench/target/lib/*"
 * org.openjdk.jmh.Main MlpBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MlpBenchmark {
    private static final int CHAIN = 1000;

    @Param({"1", "2"})
    public int threads;

    private MlpWorkload mlp;
    private TrainingWorkload mlpTraining;
    private TrainingWorkload lenetTraining;
    private GraphOverhead chain;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        mlp = new MlpWorkload(1);
        mlpTraining = TrainingWorkload.mlp(1, Device.host());
        lenetTraining = TrainingWorkload.lenet(1, Device.host());
        chain = new GraphOverhead(CHAIN);
    }

    @Benchmark
    public Var forward() {
        return mlp.loss();
    }

    @Benchmark
    public double forwardNoGrad() {
        return mlp.lossNoGrad();
    }

    @Benchmark
    public Params gradient() {
        return mlp.gradient();
    }

    @Benchmark
    public Params hvp() {
        return mlp.hvp();
    }

    @Benchmark
    public double trainingStepMlp() {
        return mlpTraining.step();
    }

    @Benchmark
    public double trainingStepLenet() {
        return lenetTraining.step();
    }

    /** 1000 recorded adds of one-element tensors: divide by 1000 for the cost of one op. */
    @Benchmark
    public Var addChainRecorded() {
        return chain.recordedChain();
    }

    @Benchmark
    public Var addChainNoGrad() {
        return chain.unrecordedChain();
    }
}
