package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.kfac.LossBatch;
import java.util.Optional;

/**
 * The iMAML inner loss g(theta, phi) = L_support(theta) + (lam/2) ||theta - phi||^2: the support
 * loss kept near the meta-parameters phi. As an {@link InnerObjective} it is a model loss plus
 * curvature lam I, so every IHVP method of {@code bilevel.methods} inverts H + lam I on it (KFAC
 * adds lam to its damping).
 */
public final class ProximalObjective implements InnerObjective {
    private final LossBatch support;
    private final double lam;

    /** The proximal support loss of {@code support} with regularization strength {@code lam} > 0. */
    public ProximalObjective(LossBatch support, double lam) {
        if (!(lam > 0) || Double.isInfinite(lam)) {
            throw new IllegalArgumentException("the proximal regularization lam must be a finite number > 0, got " + lam);
        }
        this.support = support;
        this.lam = lam;
    }

    @Override
    public Var at(Params theta, Params phi) {
        Params offset = theta.mapNamed((name, t) -> t.sub(phi.get(name)));
        return support.lossAt(theta).add(offset.innerProduct(offset).mul(lam / 2));
    }

    @Override
    public Optional<LossBatch> asLossBatch(Params phi) {
        return Optional.of(support);
    }

    @Override
    public double regularizerCurvature(Params phi) {
        return lam;
    }
}
