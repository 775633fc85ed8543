#!/usr/bin/env python3
"""PyTorch side of the state_dict round trip (Hyperkron's ParamsFile.saveStateDict / loadStateDict).

Reads a safetensors file written by Hyperkron, loads it with load_state_dict(strict=True) into
nn.Sequential(OrderedDict(fc1=Linear(IN, HIDDEN), act=Tanh(), fc2=Linear(HIDDEN, OUT))), runs the
model on the tensor 'input' of a second file, and writes (1) the model's logits and (2) a new
state_dict (every parameter p replaced by 2 p + 1) as safetensors files that Hyperkron reads back.

Uses the `safetensors` package when it is installed (safetensors.torch.save_file / load_file);
Debian has none, so otherwise the documented format is read and written directly: an 8-byte
little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, the raw data.

usage: torch_state_dict.py STATE_IN INPUT_IN LOGITS_OUT STATE_OUT
"""
import json
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}


def load_file(path):
    try:
        from safetensors.torch import load_file as st_load
        return st_load(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    out = OrderedDict()
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(data[start:end]), dtype=DTYPES[entry["dtype"]])
        out[name] = t.reshape(entry["shape"]).clone()
    return out


def save_file(tensors, path):
    try:
        from safetensors.torch import save_file as st_save
        st_save(tensors, path)
        return
    except ImportError:
        pass
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def main():
    state_in, input_in, logits_out, state_out = sys.argv[1:5]
    state = load_file(state_in)
    hidden, inputs = state["fc1.weight"].shape
    outputs = state["fc2.weight"].shape[0]
    model = nn.Sequential(OrderedDict(fc1=nn.Linear(inputs, hidden), act=nn.Tanh(), fc2=nn.Linear(hidden, outputs)))
    model = model.to(state["fc1.weight"].dtype)
    model.load_state_dict(state, strict=True)
    x = load_file(input_in)["input"]
    with torch.no_grad():
        save_file({"logits": model(x)}, logits_out)
        save_file(OrderedDict((k, 2 * v + 1) for k, v in model.state_dict().items()), state_out)


if __name__ == "__main__":
    main()
