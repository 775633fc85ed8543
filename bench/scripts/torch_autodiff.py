"""PyTorch side of `hyperkron bench-autodiff`: the same MLP 784-256-10 (ReLU, mean cross-entropy,
random float32 batch of 128), timed the same way: forward (graph recorded), forward under
no_grad, forward+backward (gradient w.r.t. the parameters), and the Hessian-vector product by
double backward (torch.autograd.grad with create_graph=True, dot with a fixed v, grad again);
plus the per-op cost of a chain of adds of one-element tensors with and without recording.

Usage: /usr/bin/python3 bench/scripts/torch_autodiff.py [--threads 1,2] [--reps 30] [--tsv]
"""
import torch
import torch.nn.functional as F

import torch_timing as tt

IN, HIDDEN, CLASSES, BATCH = 784, 256, 10, 128


def main():
    args = tt.parse_args(__doc__.split("\n")[0],
                         lambda p: p.add_argument("--chain", type=int, default=10000,
                                                  help="length of the chain of adds (default: 10000)"))
    torch.manual_seed(args.seed)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, CLASSES))
    params = list(model.parameters())
    v = [torch.randn_like(p) for p in params]
    x = torch.randn(BATCH, IN)
    y = torch.randint(0, CLASSES, (BATCH,))

    def loss():
        return F.cross_entropy(model(x), y)

    def loss_no_grad():
        with torch.no_grad():
            return loss().item()

    def gradient():
        return torch.autograd.grad(loss(), params)

    def hvp():
        g = torch.autograd.grad(loss(), params, create_graph=True)
        dot = sum((gi * vi).sum() for gi, vi in zip(g, v))
        return torch.autograd.grad(dot, params)

    leaf = torch.ones(1, requires_grad=True)
    c = torch.ones(1)

    def chain():
        out = leaf
        for _ in range(args.chain):
            out = out + c
        return out

    def chain_no_grad():
        with torch.no_grad():
            return chain()

    def chain_and_backward():
        return torch.autograd.grad(chain(), [leaf])

    tt.set_threads(args.threads[0])
    for work in (loss, gradient, hvp, chain_and_backward):
        tt.warm_up(work, args)
    figures = []
    for threads in args.threads:
        tt.set_threads(threads)
        figures.append(("mlp.forward", threads, 1e3 * tt.median_seconds(loss, args), "ms"))
        figures.append(("mlp.forward_nograd", threads, 1e3 * tt.median_seconds(loss_no_grad, args), "ms"))
        figures.append(("mlp.gradient", threads, 1e3 * tt.median_seconds(gradient, args), "ms"))
        figures.append(("mlp.hvp", threads, 1e3 * tt.median_seconds(hvp, args), "ms"))
        per_op = 1e9 / args.chain
        record = tt.median_seconds(chain, args) * per_op
        both = tt.median_seconds(chain_and_backward, args) * per_op
        figures.append(("add1.record", threads, record, "ns/op"))
        figures.append(("add1.nograd", threads, tt.median_seconds(chain_no_grad, args) * per_op, "ns/op"))
        figures.append(("add1.backward", threads, both - record, "ns/op"))
    if args.tsv:
        tt.print_tsv(figures)
        return
    value = {(n, t): val for n, t, val, _ in figures}
    print("PyTorch %s, MLP %d-%d-%d, ReLU, cross-entropy, batch %d, float32: median of %d runs, ms"
          % (torch.__version__, IN, HIDDEN, CLASSES, BATCH, args.reps))
    tt.print_table(["threads", "forward", "forward (no grad)", "gradient", "HVP", "HVP / gradient"],
                   [[t, "%.3f" % value["mlp.forward", t], "%.3f" % value["mlp.forward_nograd", t],
                     "%.3f" % value["mlp.gradient", t], "%.3f" % value["mlp.hvp", t],
                     "%.2f" % (value["mlp.hvp", t] / value["mlp.gradient", t])] for t in args.threads])
    print()
    print("Graph overhead: a chain of %d adds of one-element tensors, ns per op" % args.chain)
    tt.print_table(["threads", "recording", "no grad", "backward"],
                   [[t, "%.0f" % value["add1.record", t], "%.0f" % value["add1.nograd", t],
                     "%.0f" % value["add1.backward", t]] for t in args.threads])


if __name__ == "__main__":
    main()
