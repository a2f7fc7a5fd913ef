#!/usr/bin/env python3
"""PyTorch side of the BatchNorm-defaults measurement (docs/graph-networks.md).

The same two-block BatchNorm ResNet as org.fwprune.examples.BatchNormDefaults
(conv16-BN-ReLU, a 16- and a 32-channel stride-2 residual block with a 1x1
projection shortcut, global average pooling, dense 10), trained for one epoch
on the first 20,000 training images of an IDX folder (MNIST or Fashion-MNIST)
with SGD 0.05, momentum 0.9, batch 128, then evaluated on the 10,000 test
images with its moving statistics. Once with PyTorch's default BatchNorm
momentum (0.1, the batch's weight) and once with Keras' (0.99 kept, PyTorch
momentum 0.01). Layers, padding and initialisation come from pytorch_bench.py.

Usage: bn_defaults_pytorch.py IDX_FOLDER [SEEDS]   (prints one JSON line per run)
"""

import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_bench import BasicBlock, Conv, batch_norm, dense, find, read_idx

TRAIN_SIZE = 20_000


def load(folder):
    def images(stem):
        x = read_idx(find(folder, stem)).astype(np.float32) / 255.0
        return torch.from_numpy(np.ascontiguousarray(x.reshape(-1, 1, 28, 28)))

    def labels(stem):
        return torch.from_numpy(read_idx(find(folder, stem)).astype(np.int64))

    train = (images("train-images-idx3-ubyte")[:TRAIN_SIZE],
             labels("train-labels-idx1-ubyte")[:TRAIN_SIZE])
    return train, (images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


class TwoBlockResNet(nn.Module):
    """conv16-BN-ReLU, BasicBlock(16, 16), BasicBlock(16, 32, stride 2), pooling, dense."""

    def __init__(self):
        super().__init__()
        self.stem = Conv(1, 16, 3, 1, "same", bias=False)
        self.stem_bn = batch_norm(16)
        self.blocks = nn.Sequential(BasicBlock(16, 16, 1), BasicBlock(16, 32, 2))
        self.dense = dense(32, 10)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem_bn(self.stem(x))))
        return self.dense(torch.mean(x, dim=(2, 3)))


def run(train, test, seed, bn_momentum):
    torch.manual_seed(seed)
    model = TwoBlockResNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = bn_momentum
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = train
    order = torch.randperm(len(y))
    model.train()
    correct = 0
    for start in range(0, len(y), 128):
        idx = order[start:start + 128]
        logits = model(x[idx])
        loss = F.cross_entropy(logits, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        correct += (logits.argmax(1) == y[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        tx, ty = test
        hits = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                   for i in range(0, len(ty), 1000))
    return {"seed": seed, "bn_momentum": bn_momentum, "train_accuracy": correct / len(y),
            "test_accuracy": hits / len(ty), "torch": torch.__version__}


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    train, test = load(argv[1])
    seeds = int(argv[2]) if len(argv) > 2 else 3
    torch.set_num_threads(2)
    for seed in range(seeds):
        for momentum in (0.1, 0.01):
            print(json.dumps(run(train, test, seed, momentum)), flush=True)


if __name__ == "__main__":
    main(sys.argv)
