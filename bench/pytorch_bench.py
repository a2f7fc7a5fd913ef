#!/usr/bin/env python3
"""PyTorch side of fwprune's framework comparison (bench/compare-pytorch.sh).

Builds the same networks as fwprune, in PyTorch on the CPU, and times what
`fwprune benchmark --against-pytorch` times, the same way:
  - training images/s: SGD with momentum (PyTorch's and TensorFlow's Momentum
    op apply the same update, v = m*v + g; w -= lr*v), cross-entropy on the
    logits, mean over the batch, batches sampled from a shuffled train[0,55000);
    untimed warm-up steps, then timed chunks of steps, median over the chunks;
  - inference ms/example at batch 1 and 1000: the median wall time of a call
    that takes a float array, runs the network in inference mode (dropout off,
    BatchNorm on its moving statistics) and returns the softmax probabilities
    as an array, on consecutive test batches, cycling (as fwprune's
    InferenceTimer does).

Networks (input 28x28x1; kernels Glorot-uniform, biases zero, like Keras):
  paper    conv 32 3x3 valid + bias, relu, max pool 2, conv 64 3x3 valid + bias,
           relu, max pool 2, flatten, dropout 0.5, dense 10 + bias (34,826 parameters)
  resnet20 He et al. 2016, "Deep Residual Learning for Image Recognition",
           sec. 4.2: depth 6n+2 with n = 3, three stages of 16/32/64 filters,
           projection shortcuts (conv 1x1 stride 2 + BatchNorm) where the shape
           changes, global average pooling, dense 10 + bias. BatchNorm as Keras:
           momentum 0.99 (PyTorch momentum=0.01), epsilon 1e-3.

PyTorch lays images out as NCHW, TensorFlow as NHWC: the input is transposed
once when the data are loaded. Flattening NCHW orders the dense layer's inputs
differently from NHWC; with i.i.d. initial weights that is the same network up
to a fixed permutation of the dense kernel's rows, and costs nothing to time.

TensorFlow's 'SAME' padding puts the odd pixel at the bottom/right: a 3x3
convolution of stride 2 on 28x28 pads 0 above/left and 1 below/right, a 1x1
one of stride 2 pads nothing. PyTorch's padding= is symmetric, so each
convolution pads explicitly with F.pad by TensorFlow's rule (same_padding).

Prints one JSON object per line. Needs numpy and torch (Debian: python3-torch).
"""

import argparse
import gzip
import json
import os
import platform
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- data

def read_idx(path):
    """Reads an IDX file (gzip or raw): uint8 images or labels as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no {stem}(.gz) in {folder}")


def load_mnist(folder):
    """MNIST as fwprune loads it: pixels / 255 in [0, 1], NCHW float32, int64 labels."""
    def images(stem):
        x = read_idx(find(folder, stem)).astype(np.float32) / 255.0
        return np.ascontiguousarray(x.reshape(-1, 1, 28, 28))

    def labels(stem):
        return read_idx(find(folder, stem)).astype(np.int64)

    train = (images("train-images-idx3-ubyte")[:55000], labels("train-labels-idx1-ubyte")[:55000])
    test = (images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))
    return train, test


# ---------------------------------------------------------------- networks

def same_padding(size, kernel, stride):
    """TensorFlow's 'SAME' padding along one axis: (before, after); the odd pixel goes after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """A 2-D convolution with TensorFlow's 'VALID' or 'SAME' padding, Glorot-uniform kernel."""

    def __init__(self, cin, cout, kernel, stride=1, padding="valid", bias=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=0, bias=bias)
        self.kernel, self.stride, self.same = kernel, stride, padding == "same"
        nn.init.xavier_uniform_(self.conv.weight)
        if bias:
            nn.init.zeros_(self.conv.bias)

    def forward(self, x):
        if self.same:
            top, bottom = same_padding(x.shape[2], self.kernel, self.stride)
            left, right = same_padding(x.shape[3], self.kernel, self.stride)
            if top or bottom or left or right:
                x = F.pad(x, (left, right, top, bottom))
        return self.conv(x)


def dense(cin, cout):
    layer = nn.Linear(cin, cout)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def batch_norm(channels):
    # Keras: moving = 0.99 * moving + 0.01 * batch; PyTorch's momentum is the batch's weight.
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)


class PaperCnn(nn.Module):
    """The paper's MNIST CNN (fwprune's PaperNetwork)."""

    def __init__(self):
        super().__init__()
        self.conv1 = Conv(1, 32, 3)
        self.conv2 = Conv(32, 64, 3)
        self.dropout = nn.Dropout(0.5)
        self.dense = dense(1600, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.dense(self.dropout(torch.flatten(x, 1)))


class BasicBlock(nn.Module):
    """conv3x3(s)-BN-relu-conv3x3-BN, plus the shortcut (identity or conv1x1(s)-BN), then relu."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = Conv(cin, cout, 3, stride, "same", bias=False)
        self.bn1 = batch_norm(cout)
        self.conv2 = Conv(cout, cout, 3, 1, "same", bias=False)
        self.bn2 = batch_norm(cout)
        self.project = stride != 1 or cin != cout
        if self.project:
            self.shortcut_conv = Conv(cin, cout, 1, stride, "same", bias=False)
            self.shortcut_bn = batch_norm(cout)

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = self.shortcut_bn(self.shortcut_conv(x)) if self.project else x
        return F.relu(y + s)


class ResNet(nn.Module):
    """CIFAR-style ResNet of depth 6n+2 (He et al. 2016, sec. 4.2) for 1-channel images."""

    def __init__(self, depth=20, classes=10):
        super().__init__()
        if (depth - 2) % 6 != 0:
            raise ValueError(f"ResNet depth must be 6n+2, got {depth}")
        n = (depth - 2) // 6
        self.stem = Conv(1, 16, 3, 1, "same", bias=False)
        self.stem_bn = batch_norm(16)
        blocks, cin = [], 16
        for stage, width in enumerate((16, 32, 64)):
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(BasicBlock(cin, width, stride))
                cin = width
        self.blocks = nn.Sequential(*blocks)
        self.dense = dense(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem_bn(self.stem(x))))
        return self.dense(torch.mean(x, dim=(2, 3)))


NETWORKS = {"paper": PaperCnn, "resnet20": lambda: ResNet(20)}


# ---------------------------------------------------------------- timing

def train_throughput(model, train, batch_size, warmup_steps, chunks, chunk_steps, lr, momentum,
                     seed):
    """Images/s of each timed chunk of SGD-with-momentum steps, after warm-up."""
    images, labels = train
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    state = {"order": rng.permutation(len(images)), "at": 0}

    def next_batch():
        if state["at"] + batch_size > len(images):
            state["order"], state["at"] = rng.permutation(len(images)), 0
        idx = state["order"][state["at"]:state["at"] + batch_size]
        state["at"] += batch_size
        return torch.from_numpy(images[idx]), torch.from_numpy(labels[idx])

    def steps(count):
        loss = None
        for _ in range(count):
            x, y = next_batch()
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            loss = loss.item()
        return loss

    model.train()
    last_loss = steps(warmup_steps)
    rates = []
    for _ in range(chunks):
        start = time.perf_counter()
        last_loss = steps(chunk_steps)
        rates.append(chunk_steps * batch_size / (time.perf_counter() - start))
    if not np.isfinite(last_loss):
        raise RuntimeError(f"training diverged (loss {last_loss})")
    return rates, last_loss


def inference_ms_per_example(model, test_images, batch_size, warmup, repeats):
    """Median ms/example of predict calls on consecutive test batches, cycling."""
    batches = [test_images[i:i + batch_size]
               for i in range(0, len(test_images) - batch_size + 1, batch_size)]
    model.eval()
    calls = [0]

    def predict():
        x = batches[calls[0] % len(batches)]
        calls[0] += 1
        with torch.inference_mode():
            return F.softmax(model(torch.from_numpy(x)), dim=1).numpy()

    for _ in range(warmup):
        predict()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        predict()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times) / batch_size


def loaded_blas():
    """The BLAS library this process loaded (PyTorch's dense layers use it), from /proc/self/maps."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    except OSError:
        return None
    return sorted(os.path.realpath(p) for p in paths)


def parameter_counts(model):
    trainable = sum(p.numel() for p in model.parameters())
    # BatchNorm's moving mean and variance (num_batches_tracked is PyTorch's own counter).
    moving = sum(b.numel() for name, b in model.named_buffers()
                 if not name.endswith("num_batches_tracked"))
    return trainable, moving


# ---------------------------------------------------------------- main

def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def non_negative(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="paper")
    parser.add_argument("--batch-size", type=positive, default=128)
    parser.add_argument("--warmup-steps", type=non_negative, default=50)
    parser.add_argument("--chunks", type=positive, default=9)
    parser.add_argument("--chunk-steps", type=positive, default=48)
    parser.add_argument("--threads", type=non_negative, default=0,
                        help="torch.set_num_threads; 0 = every core")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-1-repeats", type=positive, default=400,
                        help="timed predict calls at batch 1, after a quarter as many untimed")
    parser.add_argument("--batch-1000-repeats", type=positive, default=30,
                        help="timed predict calls at batch 1000, after a sixth as many untimed")
    parser.add_argument("--skip-inference", action="store_true")
    args = parser.parse_args(argv)
    if args.batch_size > 55000:
        parser.error(f"--batch-size must be in [1, 55000], got {args.batch_size}")
    if not 0 < args.lr <= 10 or not 0 <= args.momentum < 1:
        parser.error("--lr must be in (0, 10] and --momentum in [0, 1)")

    threads = args.threads or os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    train, test = load_mnist(args.data)
    emit = lambda **kv: print(json.dumps(kv), flush=True)
    emit(kind="environment", framework="pytorch", torch=torch.__version__,
         python=platform.python_version(), cores=os.cpu_count(), threads=torch.get_num_threads(),
         interop_threads=torch.get_num_interop_threads(),
         mkldnn=torch.backends.mkldnn.is_available(), blas=loaded_blas(),
         omp_wait_policy=os.environ.get("OMP_WAIT_POLICY"),
         cpu_capability=next((l.split(":")[1].strip() for l in torch.__config__.show()
                              .splitlines() if "CPU capability" in l), None))

    model = NETWORKS[args.network]()
    trainable, moving = parameter_counts(model)
    start = time.perf_counter()
    rates, loss = train_throughput(model, train, args.batch_size, args.warmup_steps, args.chunks,
                                   args.chunk_steps, args.lr, args.momentum, args.seed)
    line = {"kind": "comparable", "framework": "pytorch", "network": args.network,
            "parameters": trainable, "batchnorm_moving_statistics": moving,
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
            "batch_size": args.batch_size, "warmup_steps": args.warmup_steps,
            "timed_steps": args.chunks * args.chunk_steps,
            "train_images_per_s": round(statistics.median(rates), 1),
            "train_images_per_s_chunks": [round(r, 1) for r in rates],
            "last_loss": round(loss, 4)}
    if not args.skip_inference:
        small, large = args.batch_1_repeats, args.batch_1000_repeats
        line["predict_ms_per_example_batch_1"] = round(
            inference_ms_per_example(model, test[0], 1, small // 4, small), 5)
        line["predict_ms_per_example_batch_1000"] = round(
            inference_ms_per_example(model, test[0], 1000, max(1, large // 6), large), 5)
    line["seconds"] = round(time.perf_counter() - start, 1)
    emit(**line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
