"""PyTorch side of `hyperkron bench-training`: one training step (zero_grad, forward, backward,
plain SGD step with lr 0.01) of the MLP 784-256-10 (ReLU) and of the same LeNet as
Models.lenet(1, 28, 28, 10) (conv 6@5x5, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2,
fully connected 120, 84, 10), random float32 batch of 128, mean cross-entropy, timed the same way.

Usage: /usr/bin/python3 bench/scripts/torch_training.py [--threads 1,2] [--reps 30] [--device cpu|cuda] [--tsv]
With --device cuda the models and batches live on the GPU; reading the loss waits for the step.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_timing as tt

BATCH = 128


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 4 * 4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def training_step(model, x, y):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def main():
    args = tt.parse_args(__doc__.split("\n")[0], lambda p: p.add_argument(
        "--device", default="cpu", help="cpu or cuda (default: cpu)"))
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    y = torch.randint(0, 10, (BATCH,)).to(device)
    workloads = [("mlp", training_step(mlp().to(device), torch.randn(BATCH, 784).to(device), y)),
                 ("lenet", training_step(lenet().to(device), torch.randn(BATCH, 1, 28, 28).to(device), y))]
    tt.set_threads(args.threads[0])
    for _, step in workloads:
        tt.warm_up(step, args)
    figures = []
    for threads in args.threads:
        tt.set_threads(threads)
        for name, step in workloads:
            figures.append(("train." + name, threads, 1e3 * tt.median_seconds(step, args), "ms"))
    if args.tsv:
        tt.print_tsv(figures)
        return
    value = {(n, t): val for n, t, val, _ in figures}
    print("PyTorch %s, one training step (forward, backward, SGD), batch %d, float32 on %s: median of %d steps, ms"
          % (torch.__version__, BATCH, device, args.reps))
    tt.print_table(["threads", "MLP 784-256-10", "LeNet 28x28"],
                   [[t, "%.3f" % value["train.mlp", t], "%.3f" % value["train.lenet", t]] for t in args.threads])


if __name__ == "__main__":
    main()
