"""PyTorch side of `hyperkron bench-transformer`: the all-MiniLM-L6-v2 architecture (word, position
and token-type embeddings with LayerNorm; 6 post-LN encoder layers, hidden 384, 12 heads, FFN 1536,
exact GELU, no dropout) with a [CLS] linear head of 6 classes and mean cross-entropy, on a random
token batch without padding, timed the same way: forward under no_grad, forward with the graph
recorded, and forward+backward (the gradient with respect to every parameter).

Usage: /usr/bin/python3 bench/scripts/torch_transformer.py [--threads 1,2] [--reps 30] [--batch 32]
       [--length 48] [--device cpu|cuda] [--tsv]
With --device cuda the model and the batch live on the GPU and every timed call ends with
torch.cuda.synchronize().
"""
import torch
import torch.nn.functional as F

import torch_timing as tt

LAYERS, HIDDEN, HEADS, FFN, VOCAB, POSITIONS, CLASSES = 6, 384, 12, 1536, 30522, 512, 6


class Bert(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.words = torch.nn.Embedding(VOCAB, HIDDEN)
        self.positions = torch.nn.Embedding(POSITIONS, HIDDEN)
        self.types = torch.nn.Embedding(2, HIDDEN)
        self.norm = torch.nn.LayerNorm(HIDDEN, eps=1e-12)
        layer = torch.nn.TransformerEncoderLayer(HIDDEN, HEADS, FFN, dropout=0.0, activation="gelu",
                                                 layer_norm_eps=1e-12, batch_first=True, norm_first=False)
        self.encoder = torch.nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
        self.head = torch.nn.Linear(HIDDEN, CLASSES)

    def forward(self, ids, padding):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.norm(self.words(ids) + self.positions(positions) + self.types(torch.zeros_like(ids)))
        return self.head(self.encoder(x, src_key_padding_mask=padding)[:, 0])


def main():
    args = tt.parse_args(__doc__.split("\n")[0], lambda p: (
        p.add_argument("--batch", type=int, default=32, help="sequences per batch (default: 32)"),
        p.add_argument("--length", type=int, default=48, help="tokens per sequence (default: 48)"),
        p.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")))
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    model = Bert().eval().to(device)
    params = list(model.parameters())
    ids = torch.randint(0, VOCAB, (args.batch, args.length)).to(device)
    padding = torch.zeros(args.batch, args.length, dtype=torch.bool, device=device)
    y = torch.randint(0, CLASSES, (args.batch,)).to(device)

    def finished(result):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return result

    def loss():
        return finished(F.cross_entropy(model(ids, padding), y))

    def loss_no_grad():
        with torch.no_grad():
            return loss().item()

    def gradient():
        return finished(torch.autograd.grad(loss(), params))

    workloads = [("bert.forward_nograd", loss_no_grad), ("bert.forward", loss), ("bert.gradient", gradient)]
    tt.set_threads(args.threads[0])
    for _, work in workloads:
        tt.warm_up(work, args)
    figures = []
    for threads in args.threads:
        tt.set_threads(threads)
        for name, work in workloads:
            figures.append((name, threads, 1e3 * tt.median_seconds(work, args), "ms"))
    if args.tsv:
        tt.print_tsv(figures)
        return
    value = {(n, t): val for n, t, val, _ in figures}
    print("PyTorch %s, BERT 6 x 384 (12 heads, FFN 1536), batch %d x %d tokens, float32 on %s: median of %d runs, ms"
          % (torch.__version__, args.batch, args.length, device, args.reps))
    tt.print_table(["threads", "forward (no grad)", "forward", "forward+backward"],
                   [[t] + ["%.1f" % value[name, t] for name, _ in workloads] for t in args.threads])


if __name__ == "__main__":
    main()
