"""Batch-1 latency of the peers the serving issue compares with, on this machine: ONNX Runtime
(Python) running the ONNX file fwprune exported, and PyTorch running the same ResNet-20 layout
(28x28x1; 16, 32, 64 channels; 1x1 projection shortcuts; eval mode, inference_mode), contiguous
and channels_last. Each: median of the timed calls after the warm-up, one image per call, 64
random images in turn.

    serving_peers.py ONNX_FILE THREADS [WARMUP REPEATS]

bench/serving-peers.sh runs it beside fwprune's own predictor.
"""
import statistics
import sys
import time

import numpy as np


def median_ms(call, inputs, warmup, repeats):
    for i in range(warmup):
        call(inputs[i % len(inputs)])
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        call(inputs[i % len(inputs)])
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def onnx_runtime(path, threads, warmup, repeats):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    images = np.random.default_rng(1).random((64, 1, 28, 28, 1), dtype=np.float32)
    ms = median_ms(lambda x: session.run(None, {name: x}), images, warmup, repeats)
    print(f"onnxruntime {ort.__version__} (Python) threads {threads}: {ms:.3f} ms/image")


def pytorch(threads, warmup, repeats):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.b1 = nn.BatchNorm2d(cout)
            self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.b2 = nn.BatchNorm2d(cout)
            self.shortcut = None if stride == 1 and cin == cout else nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
            return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))

    class ResNet20(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
            self.bn = nn.BatchNorm2d(16)
            blocks, cin = [], 16
            for cout, stride in ((16, 1), (32, 2), (64, 2)):
                for i in range(3):
                    blocks.append(Block(cin, cout, stride if i == 0 else 1))
                    cin = cout
            self.blocks = nn.Sequential(*blocks)
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            x = self.blocks(F.relu(self.bn(self.conv(x))))
            return F.softmax(self.fc(x.mean((2, 3))), dim=1)

    torch.set_num_threads(threads)
    model = ResNet20().eval()
    images = [torch.rand(1, 1, 28, 28) for _ in range(64)]
    for layout in ("contiguous", "channels_last"):
        if layout == "channels_last":
            model = model.to(memory_format=torch.channels_last)
            images = [x.to(memory_format=torch.channels_last) for x in images]
        with torch.inference_mode():
            ms = median_ms(model, images, warmup, repeats)
        print(f"pytorch {torch.__version__} {layout} threads {threads}: {ms:.3f} ms/image")


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    path, threads = sys.argv[1], int(sys.argv[2])
    warmup, repeats = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) == 5 else (300, 2000)
    onnx_runtime(path, threads, warmup, repeats)
    pytorch(threads, warmup, repeats)


if __name__ == "__main__":
    main()
