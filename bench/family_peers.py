"""Peers at 224x224 for the Keras-applications families (docs/performance.md, "Keras families
at 224x224"): PyTorch 2.13 running ResNet50 and MobileNetV2 written out here in the layout
keras.applications builds them (ResNet50 v1: the stride on each stage's first 1x1 convolution;
MobileNetV2 alpha 1.0: 32-channel stem, the seven inverted-residual stages, 1280-channel head;
both with BatchNorm, 1000 classes, eval mode, inference_mode), contiguous and channels_last,
and ONNX Runtime (Python) running the ONNX files fwprune exported from the same Keras files.
torchvision is not used: its wheels on this machine's index are built against another torch.

Each: median time per call after the warm-up, batch 1 and batch 32, random inputs.

    family_peers.py THREADS RESNET50.onnx MOBILENETV2.onnx [WARMUP REPEATS]
"""
import statistics
import sys
import time

import numpy as np


def median_ms(call, warmup, repeats):
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def torch_models():
    import torch.nn as nn

    def conv_bn(cin, cout, k, s, groups=1, act=None, bias=False):
        layers = [nn.Conv2d(cin, cout, k, s, padding=k // 2, groups=groups, bias=bias),
                  nn.BatchNorm2d(cout, eps=1e-3)]
        if act is not None:
            layers.append(act())
        return nn.Sequential(*layers)

    class Bottleneck(nn.Module):
        def __init__(self, cin, width, stride, project):
            super().__init__()
            # Keras' ResNet50 convolutions carry a bias before their BatchNorm.
            self.body = nn.Sequential(conv_bn(cin, width, 1, stride, act=nn.ReLU, bias=True),
                                      conv_bn(width, width, 3, 1, act=nn.ReLU, bias=True),
                                      conv_bn(width, 4 * width, 1, 1, bias=True))
            self.shortcut = (conv_bn(cin, 4 * width, 1, stride, bias=True) if project
                             else nn.Identity())
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.body(x) + self.shortcut(x))

    def resnet50():
        layers = [conv_bn(3, 64, 7, 2, act=nn.ReLU, bias=True), nn.MaxPool2d(3, 2, padding=1)]
        cin = 64
        for width, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            for b in range(blocks):
                layers.append(Bottleneck(cin, width, stride if b == 0 else 1, b == 0))
                cin = 4 * width
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 1000), nn.Softmax(1)]
        return nn.Sequential(*layers)

    class InvertedResidual(nn.Module):
        def __init__(self, cin, cout, stride, expand):
            super().__init__()
            hidden = cin * expand
            layers = [conv_bn(cin, hidden, 1, 1, act=nn.ReLU6)] if expand != 1 else []
            layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden, act=nn.ReLU6),
                       conv_bn(hidden, cout, 1, 1)]
            self.body = nn.Sequential(*layers)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            return x + self.body(x) if self.residual else self.body(x)

    def mobilenet_v2():
        layers = [conv_bn(3, 32, 3, 2, act=nn.ReLU6)]
        cin = 32
        for expand, cout, blocks, stride in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
                                             (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                                             (6, 320, 1, 1)):
            for b in range(blocks):
                layers.append(InvertedResidual(cin, cout, stride if b == 0 else 1, expand))
                cin = cout
        layers += [conv_bn(cin, 1280, 1, 1, act=nn.ReLU6), nn.AdaptiveAvgPool2d(1),
                   nn.Flatten(), nn.Linear(1280, 1000), nn.Softmax(1)]
        return nn.Sequential(*layers)

    return {"ResNet50": resnet50, "MobileNetV2": mobilenet_v2}


def time_torch(name, build, threads, warmup, repeats):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build().eval()
    params = sum(p.numel() for p in model.parameters())
    for layout in ("contiguous", "channels_last"):
        m = model.to(memory_format=torch.channels_last) if layout == "channels_last" else model
        for batch in (1, 32):
            x = torch.rand(batch, 3, 224, 224)
            if layout == "channels_last":
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.inference_mode():
                ms = median_ms(lambda: m(x), warmup, repeats)
            print(f"pytorch {torch.__version__} {name} ({params:,} parameters) {layout} "
                  f"threads {threads} batch {batch}: {ms:.1f} ms/call {ms / batch:.1f} ms/image")


def time_onnx(name, path, threads, warmup, repeats):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    for batch in (1, 32):
        x = np.random.default_rng(1).random((batch, 224, 224, 3), dtype=np.float32)
        ms = median_ms(lambda: session.run(None, {input_name: x}), warmup, repeats)
        print(f"onnxruntime {ort.__version__} (Python) {name} threads {threads} batch {batch}: "
              f"{ms:.1f} ms/call {ms / batch:.1f} ms/image")


def main(argv):
    if len(argv) not in (4, 6):
        sys.exit("usage: family_peers.py THREADS RESNET50.onnx MOBILENETV2.onnx [WARMUP REPEATS]")
    threads = int(argv[1])
    warmup, repeats = (int(argv[4]), int(argv[5])) if len(argv) == 6 else (3, 10)
    if threads < 1 or warmup < 0 or repeats < 1:
        sys.exit(f"threads must be >= 1, warmup >= 0 and repeats >= 1, got {argv[1:]}")
    files = {"ResNet50": argv[2], "MobileNetV2": argv[3]}
    for name, build in torch_models().items():
        time_onnx(name, files[name], threads, warmup, repeats)
        time_torch(name, build, threads, warmup, repeats)


if __name__ == "__main__":
    main(sys.argv)
