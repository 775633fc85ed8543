"""Reference hidden states of all-MiniLM-L6-v2 for the Java encoder (when it exists): builds
BERT in PyTorch (Debian's python3-torch; post-LayerNorm layers, exact erf GELU, padding mask as
in Hugging Face's BertModel) from the ONNX initializers (named as minilm_weights_reference.py
names them), runs a padded batch of sentences whose token ids come from wordpiece-golden.json
(Hugging Face tokenizers), and writes per sentence the [CLS] hidden state, the masked mean over
tokens, its L2-normalized form (the sentence-transformers embedding), and sums and sampled
elements of the whole last hidden state, in float64 from a float32 forward pass, to
bench/src/test/resources/dev/hyperkron/bench/text/minilm-forward-golden.json.

The PyTorch model is checked first against the exported graph itself, run by a small numpy
interpreter of the 19 operators it uses (no ONNX runtime here): the two must agree to float32
rounding, or the script stops.

Usage: /usr/bin/python3 bench/scripts/minilm_forward_reference.py [--jar PATH]
"""
import argparse
import json
import math
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
import torch.nn.functional as F

import minilm_common as mc
import minilm_weights_reference as weights_reference

SENTENCES = ["What is the capital of France?",          # texts of wordpiece-golden.json "cases"
             "Café déjà vu: a naïve façade in São Paulo, Zürich and Ångström.",
             "Who was the first U.S. president ?",
             "a"]


def run_graph(model, feeds):
    """Evaluates the ONNX graph in numpy, node by node (opset 11 semantics of the operators used)."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        x = [values[i] for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            y = x[0]
            for axis in sorted(a["axes"]):
                y = np.expand_dims(y, axis)
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op == "Slice":
            y = x[0]
            starts, ends, axes = x[1], x[2], x[3] if len(x) > 3 else range(len(x[1]))
            steps = x[4] if len(x) > 4 else [1] * len(starts)
            index = [slice(None)] * y.ndim
            for s0, e0, ax, st in zip(starts, ends, axes, steps):
                index[ax] = slice(int(s0), int(min(e0, y.shape[ax])), int(st))
            y = y[tuple(index)]
        elif op == "Reshape":
            shape = [x[0].shape[i] if d == 0 else int(d) for i, d in enumerate(x[1])]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(x[0], a["perm"])
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op in ("Add", "Sub", "Mul", "Div", "Pow"):
            y = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power}[op](x[0], x[1])
        elif op == "ReduceMean":
            y = np.mean(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Erf":
            y = torch.erf(torch.from_numpy(np.ascontiguousarray(x[0]))).numpy()
        elif op == "Softmax":
            z = x[0] - x[0].max(axis=a["axis"], keepdims=True)
            y = np.exp(z) / np.exp(z).sum(axis=a["axis"], keepdims=True)
        elif op == "Cast":
            y = x[0].astype({1: np.float32, 7: np.int64}[a["to"]])
        else:
            raise SystemExit("run_graph: operator " + op + " is not implemented")
        values[node.output[0]] = np.asarray(y)
    return values[model.graph.output[0].name]


def encoder(w, cfg, ids, mask):
    h, heads = cfg["hidden"], cfg["heads"]
    eps = cfg["layer_norm_eps"]
    batch, length = ids.shape
    positions = torch.arange(length).unsqueeze(0).expand(batch, length)
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
         + w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
    x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    for k in range(cfg["layers"]):
        p = "encoder.layer.%d." % k

        def linear(name, t):
            return F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"])

        def heads_of(t):
            return t.view(batch, length, heads, h // heads).transpose(1, 2)

        q, key, v = (heads_of(linear("attention.self." + n, x)) for n in ("query", "key", "value"))
        scores = q @ key.transpose(-1, -2) / math.sqrt(h // heads) + additive
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, h)
        x = F.layer_norm(linear("attention.output.dense", context) + x, (h,),
                         w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        ffn = linear("output.dense", F.gelu(linear("intermediate.dense", x)))
        x = F.layer_norm(ffn + x, (h,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def f32(vector):
    """Values to float32 precision (nine significant digits), which is all a float32 forward pass has."""
    return [float("%.9g" % v) for v in vector.tolist()]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", default=mc.default_jar())
    p.add_argument("--out", default=os.path.join(mc.GOLDEN_DIR, "minilm-forward-golden.json"))
    args = p.parse_args()
    torch.set_grad_enabled(False)

    model = onnx.load_from_string(mc.read_resource(args.jar, mc.ONNX_RESOURCE))
    named = weights_reference.canonical_weights(model)
    cfg = weights_reference.config(model, named)
    w = {name: torch.from_numpy(array.copy()).float() for name, (_, array) in named.items()}

    with open(os.path.join(mc.GOLDEN_DIR, "wordpiece-golden.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    by_text = {c["text"]: c for c in cases}
    chosen = [by_text[t] for t in SENTENCES]
    length = max(len(c["ids"]) for c in chosen)
    ids = torch.zeros(len(chosen), length, dtype=torch.long)
    mask = torch.zeros(len(chosen), length, dtype=torch.long)
    for r, c in enumerate(chosen):
        ids[r, :len(c["ids"])] = torch.tensor(c["ids"])
        mask[r, :len(c["ids"])] = 1
    hidden = encoder(w, cfg, ids, mask)
    graph = run_graph(model, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                              "token_type_ids": np.zeros_like(ids.numpy())})
    real = mask.numpy().astype(bool)
    difference = float(np.abs(graph[real] - hidden.numpy()[real]).max())
    print("PyTorch BERT vs the ONNX graph (numpy), largest difference over real tokens:", difference)
    if difference > 1e-4:
        raise SystemExit("the PyTorch model disagrees with the exported graph")

    out = []
    for r, c in enumerate(chosen):
        n = len(c["ids"])
        states = hidden[r, :n].double()
        mean = states.mean(0)
        samples = {"%d,%d" % (t, d): float(states[t, d]) for t in (0, n // 2, n - 1) for d in (0, 1, 191, 383)}
        out.append({"text": c["text"], "ids": c["ids"], "cls": f32(states[0]),
                    "sentence_embedding": f32(mean / mean.norm()),
                    "sum": float(states.sum()), "sum_of_squares": float((states * states).sum()), "samples": samples})
    golden = {"source": "torch " + torch.__version__ + " BERT from onnx " + onnx.__version__ + " initializers of "
                        + mc.ONNX_RESOURCE + "; float32 forward, padded batch of " + str(len(chosen)) + " to length "
                        + str(length),
              "config": cfg, "padded_length": length, "sentences": out}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", args.out, len(out), "sentences, padded length", length)


if __name__ == "__main__":
    main()
