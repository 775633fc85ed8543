package dev.hyperkron.autodiff;

/**
 * A linear layer with its bias and activation as one recorded op. Its backward turns the output
 * gradient into the pre-activation gradient g_z once and then takes the three products: g_z W for
 * the input, g_z^T x (leading axes folded into rows) for the weight and the column sums of g_z for
 * the bias, in the operations matmul and add would use.
 */
final class LinearOps {
    private LinearOps() {
    }

    static Var linear(Var x, Var weight, Var bias, FusedActivation activation) {
        var value = x.value().linear(weight.value(), bias == null ? null : bias.value(), activation.op());
        Var[] inputs = bias == null ? new Var[] {x, weight} : new Var[] {x, weight, bias};
        return Var.record("linear", value, (g, y, need) -> {
            Var gz = activation.backward(g, y);
            Var[] grads = new Var[inputs.length];
            grads[0] = need[0] ? gz.matmul(weight) : null;
            grads[1] = need[1] ? gz.reshape(-1, gz.dim(-1)).matmul(x.reshape(-1, x.dim(-1)), true, false) : null;
            if (bias != null && need[2]) {
                grads[2] = ElementwiseOps.toShape(gz, bias);
            }
            return grads;
        }, inputs);
    }
}
