package dev.hyperkron.nn.optim;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/** Checks that gradients pair up with parameters by name, shape and dtype before any update touches state. */
final class ParamGradients {
    private ParamGradients() {
    }

    /** Throws an IllegalArgumentException naming the first problem (missing, extra or mismatched entries). */
    static void requireMatching(String op, Params params, Params grads) {
        if (params == null) {
            throw new IllegalArgumentException(op + ": params is null");
        }
        if (grads == null) {
            throw new IllegalArgumentException(op + ": grads is null (one gradient per parameter is needed)");
        }
        List<String> missing = new ArrayList<>();
        for (String name : params.names()) {
            if (!grads.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(op + ": no gradient for parameter" + (missing.size() > 1 ? "s " : " ")
                    + quoted(missing) + "; gradients are given for " + grads.names());
        }
        List<String> extra = new ArrayList<>();
        for (String name : grads.names()) {
            if (!params.contains(name)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(op + ": gradient" + (extra.size() > 1 ? "s " : " ") + quoted(extra)
                    + " match no parameter; parameters are " + params.names());
        }
        for (String name : params.names()) {
            Var p = params.get(name);
            Var g = grads.get(name);
            if (!g.shape().equals(p.shape())) {
                throw new IllegalArgumentException(op + ": the gradient of '" + name + "' has shape " + g.shape()
                        + " but the parameter has shape " + p.shape());
            }
            if (g.dtype() != p.dtype()) {
                throw new IllegalArgumentException(op + ": the gradient of '" + name + "' is " + g.dtype()
                        + " but the parameter is " + p.dtype());
            }
        }
    }

    private static String quoted(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(n).append('\'');
        }
        return sb.toString();
    }
}
