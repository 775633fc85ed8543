package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Dropout;
import dev.hyperkron.nn.layers.LayerNorm;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.text.BertConfig;

/**
 * One post-LayerNorm BERT encoder layer: x = LN(x + Dropout(W_o SelfAttention(x))), then
 * x = LN(x + Dropout(W_2 GELU(W_1 x))). [N, T, hidden] in and out. Parameters carry Hugging
 * Face's names relative to the layer ({@code attention.self.query.weight},
 * {@code attention.output.dense.weight}, {@code attention.output.LayerNorm.weight},
 * {@code intermediate.dense.weight}, {@code output.dense.weight}, {@code output.LayerNorm.weight}),
 * so checkpoints load by name and KFAC reports its six Linear layers under those paths.
 */
public final class BertLayer implements Module {
    private static final String SELF = "attention.self";
    private static final String ATTENTION_DENSE = "attention.output.dense";
    private static final String ATTENTION_NORM = "attention.output.LayerNorm";
    private static final String INTERMEDIATE = "intermediate.dense";
    private static final String OUTPUT_DENSE = "output.dense";
    private static final String OUTPUT_NORM = "output.LayerNorm";

    private final SelfAttention attention;
    private final Linear attentionDense;
    private final LayerNorm attentionNorm;
    private final Linear intermediate;
    private final Linear outputDense;
    private final LayerNorm outputNorm;
    private final Dropout dropout;

    public BertLayer(BertConfig config, double dropout) {
        int h = config.hidden();
        this.attention = new SelfAttention(h, config.heads(), dropout);
        this.attentionDense = new Linear(h, h);
        this.attentionNorm = new LayerNorm(h, config.layerNormEps());
        this.intermediate = new Linear(h, config.intermediate());
        this.outputDense = new Linear(config.intermediate(), h);
        this.outputNorm = new LayerNorm(h, config.layerNormEps());
        this.dropout = new Dropout(dropout);
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return attention.init(rng, dtype).prefixed(SELF)
                .merge(attentionDense.init(rng, dtype).prefixed(ATTENTION_DENSE))
                .merge(attentionNorm.init(rng, dtype).prefixed(ATTENTION_NORM))
                .merge(intermediate.init(rng, dtype).prefixed(INTERMEDIATE))
                .merge(outputDense.init(rng, dtype).prefixed(OUTPUT_DENSE))
                .merge(outputNorm.init(rng, dtype).prefixed(OUTPUT_NORM));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        Var attended = run(attentionDense, ATTENTION_DENSE, params,
                run(attention, SELF, params, input, ctx), ctx);
        Var x = run(attentionNorm, ATTENTION_NORM, params, input.add(dropout.apply(Params.empty(), attended, ctx)), ctx);
        Var inner = run(intermediate, INTERMEDIATE, params, x, ctx).gelu();
        Var out = run(outputDense, OUTPUT_DENSE, params, inner, ctx);
        return run(outputNorm, OUTPUT_NORM, params, x.add(dropout.apply(Params.empty(), out, ctx)), ctx);
    }

    private static Var run(Module m, String name, Params params, Var input, Context ctx) {
        return m.apply(params.child(name), input, ctx.child(name));
    }
}
