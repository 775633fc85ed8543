package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;

/** First-order MAML: the query gradient at the adapted theta_T stands in for the meta-gradient (dtheta_T/dphi ~= I). */
final class FirstOrderMetaGradient implements MetaGradientMethod {

    @Override
    public String name() {
        return "FOMAML";
    }

    @Override
    public TaskGradient compute(MetaTask task, Params phi, Adaptation adaptation, Rng rng) {
        Params theta = adaptation.adapt(task, phi);
        Grad.ValueAndGrad query = Grad.valueAndGrad(task.query()::lossAt, theta);
        return new TaskGradient(query.grad(), theta, query.value());
    }
}
