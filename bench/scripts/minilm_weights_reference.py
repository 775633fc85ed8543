"""Reference for the ONNX weight loader: reads all-minilm-l6-v2.onnx from the langchain4j
artifact with Debian's python3-onnx (onnx.numpy_helper), names every anonymous MatMul weight
from the exporter's node names (/encoder/layer.K/attention/self/query/MatMul -> encoder.layer.K.
attention.self.query.weight; an independent route from the Java loader, which follows the
MatMul's output into the Add with the named bias), transposes it to PyTorch's [out, in], and
writes per canonical name the shape, the F64 sum and a few elements, plus the model config read
off the graph. Writes bench/src/test/resources/dev/hyperkron/bench/text/minilm-weights-golden.json
for bench's MiniLmCheckpointGoldenTest.

Run ./mvnw -B -q -pl bench dependency:resolve first so the jar is in ~/.m2.
Usage: /usr/bin/python3 bench/scripts/minilm_weights_reference.py [--jar PATH]
"""
import argparse
import json
import os
import re

import numpy as np
import onnx
from onnx import numpy_helper

import minilm_common as mc

MATMUL_NODE = re.compile(r"^/encoder/layer\.(\d+)/(attention/self/query|attention/self/key|attention/self/value|"
                         r"attention/output/dense|intermediate/dense|output/dense)/MatMul$")


def canonical_weights(model):
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    weights = {}
    for node in model.graph.node:
        m = MATMUL_NODE.match(node.name)
        if m:
            name = "encoder.layer." + m.group(1) + "." + m.group(2).replace("/", ".") + ".weight"
            weights[name] = (node.input[1], init[node.input[1]].T)   # ONNX [in, out] -> PyTorch [out, in]
    for name, array in init.items():
        if (name.startswith("embeddings.") or name.startswith("encoder.")) and name != "embeddings.position_ids":
            weights[name] = (name, array)
    return weights


def config(model, weights):
    consts = {n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in model.graph.node if n.op_type == "Constant"}
    eps = float(consts["/embeddings/LayerNorm/Constant_1_output_0"])
    heads = int(consts["/encoder/layer.0/attention/self/Constant_2_output_0"])
    layers = len({k.split(".")[2] for k in weights if k.startswith("encoder.layer.")})
    word = weights["embeddings.word_embeddings.weight"][1]
    return {"layers": layers, "hidden": int(word.shape[1]), "heads": heads,
            "intermediate": int(weights["encoder.layer.0.intermediate.dense.weight"][1].shape[0]),
            "vocab_size": int(word.shape[0]),
            "max_positions": int(weights["embeddings.position_embeddings.weight"][1].shape[0]),
            "type_vocab_size": int(weights["embeddings.token_type_embeddings.weight"][1].shape[0]),
            "layer_norm_eps": eps}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", default=mc.default_jar())
    p.add_argument("--out", default=os.path.join(mc.GOLDEN_DIR, "minilm-weights-golden.json"))
    args = p.parse_args()

    model = onnx.load_from_string(mc.read_resource(args.jar, mc.ONNX_RESOURCE))
    weights = canonical_weights(model)
    tensors = {}
    for name in sorted(weights):
        source, array = weights[name]
        flat = np.ascontiguousarray(array).reshape(-1)
        n = flat.size
        picks = sorted({0, 1, n // 3, n // 2, n - 1})
        tensors[name] = {"onnx_name": source, "shape": list(array.shape),
                         "sum": float(flat.astype(np.float64).sum()),
                         "samples": {str(i): float(flat[i]) for i in picks}}
    golden = {"source": "onnx " + onnx.__version__ + " numpy_helper, " + mc.ONNX_RESOURCE + " from "
                        + os.path.basename(args.jar),
              "config": config(model, weights), "tensors": tensors}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", args.out, len(tensors), "tensors", golden["config"])


if __name__ == "__main__":
    main()
