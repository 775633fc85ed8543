package dev.hyperkron.bench.experiments;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Batcher;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.List;

/**
 * The IHVP every solver of the trade-off is asked for, as in a hypergradient: a model trained
 * for a while (F32, with the setup's weight decay), one batch of its training loss (cross-entropy) whose damped Hessian is
 * inverted, and v, the gradient of the loss on the validation set.
 *
 * @param model              model description, e.g. "mlp(32)"
 * @param params             the trained parameters
 * @param batch              the curvature batch
 * @param v                  the validation-loss gradient
 * @param trainLoss          mean training loss over the last tenth of the SGD steps
 * @param validationAccuracy accuracy on the validation set at {@code params}
 * @param trainSeconds       wall-clock seconds of the training
 */
public record IhvpProblem(String model, Params params, LossBatch batch, Params v, double trainLoss,
                          double validationAccuracy, double trainSeconds) {

    /** Trains {@code module} from a seeded initialisation with SGD and takes the curvature batch and v. */
    public static IhvpProblem train(String description, Module module, IhvpTradeoffSetup setup, Dataset train,
                                    Dataset validation) {
        long start = System.nanoTime();
        Rng rng = new Rng(setup.seed());
        Params params = module.init(rng.split(), DType.F32);
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(setup.learningRate()).momentum(0.9)
                .weightDecay(setup.weightDecay()).build());
        Batcher batches = new Batcher(train, Math.min(setup.trainBatch(), train.size()), true, rng.split());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int tail = Math.max(1, setup.trainSteps() / 10);
        double tailLoss = 0;
        for (int step = 0; step < setup.trainSteps(); step++) {
            Batch b = batches.next();
            Var value = LossBatch.of(module, b.features(), b.labels(), loss).lossAt(params);
            if (!Double.isFinite(value.item())) {
                throw new IllegalStateException(description + ": training diverged at SGD step " + step + " (loss "
                        + value.item() + "); lower --lr");
            }
            if (step >= setup.trainSteps() - tail) {
                tailLoss += value.item() / tail;
            }
            params = sgd.step(params, Grad.grad(value, params));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Batch curvature = new Batcher(train, Math.min(setup.curvatureBatch(), train.size()), true, rng.split()).next();
        LossBatch batch = LossBatch.of(module, curvature.features(), curvature.labels(), loss);
        LossBatch val = LossBatch.of(module, validation.features(), validation.labels(), loss);
        Var validationLoss = val.lossAt(params);
        Params v = Grad.grad(validationLoss, params);
        Tensor predicted = val.outputs(params.detached(), Context.eval()).value().argmax(1);
        double accuracy = predicted.eq(validation.labels()).cast(DType.F64).mean().item();
        return new IhvpProblem(description, params.detached(), batch, v, setup.trainSteps() == 0 ? Double.NaN : tailLoss,
                accuracy, seconds);
    }

    public List<LossBatch> batches() {
        return List.of(batch);
    }

    /** Number of parameters (scalars, not tensors). */
    public int size() {
        return Math.toIntExact(v.numel());
    }
}
