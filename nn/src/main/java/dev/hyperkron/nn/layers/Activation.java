package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.FusedActivation;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Elementwise nonlinearities as modules: ReLU, Tanh, Sigmoid and (exact) GELU. */
public final class Activation implements Parameterless {
    private final String name;
    private final UnaryOperator<Var> f;
    private final FusedActivation fused;

    private Activation(String name, UnaryOperator<Var> f, FusedActivation fused) {
        this.name = name;
        this.f = f;
        this.fused = fused;
    }

    public static Activation relu() {
        return new Activation("ReLU", Var::relu, FusedActivation.RELU);
    }

    public static Activation tanh() {
        return new Activation("Tanh", Var::tanh, FusedActivation.TANH);
    }

    public static Activation sigmoid() {
        return new Activation("Sigmoid", Var::sigmoid, FusedActivation.SIGMOID);
    }

    public static Activation gelu() {
        return new Activation("GELU", Var::gelu, null);
    }

    /** By name, case-insensitive: relu, tanh, sigmoid, gelu. */
    public static Activation named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "relu" -> relu();
            case "tanh" -> tanh();
            case "sigmoid" -> sigmoid();
            case "gelu" -> gelu();
            default -> throw new IllegalArgumentException("unknown activation '" + name + "': use relu, tanh, sigmoid or gelu");
        };
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return f.apply(input);
    }

    /** This activation as a preceding Linear layer can apply it inside its own op, if it can. */
    public Optional<FusedActivation> fusedForm() {
        return Optional.ofNullable(fused);
    }

    @Override
    public String toString() {
        return name;
    }
}
