package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;

/**
 * MAML: the exact derivative of the query loss after T recorded inner steps, back-propagated
 * through every step (second-order terms included). Memory grows with T; the implicit methods'
 * does not.
 */
final class UnrolledMetaGradient implements MetaGradientMethod {

    @Override
    public String name() {
        return "MAML";
    }

    @Override
    public TaskGradient compute(MetaTask task, Params phi, Adaptation adaptation, Rng rng) {
        Params phiLeaves = phi.asLeaves();
        Params theta = adaptation.unrolled(task, phiLeaves);
        Var query = task.query().lossAt(theta);
        return new TaskGradient(Grad.grad(query, phiLeaves), theta.detached().asLeaves(), query.item());
    }
}
