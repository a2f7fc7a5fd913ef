#!/usr/bin/env python3
"""Checks an ONNX file written by fwprune (Cnn.exportOnnx or `fwprune export --format onnx`).

Runs onnx.checker (full check, with shape inference), then ONNX Runtime on a batch of random
images of the file's NHWC input shape at two batch sizes (the batch axis is dynamic), and prints
what it found. Exit status 0 when every check passes, 1 otherwise.

Needs the Python packages onnx, onnxruntime and numpy, in a virtual environment outside the
repository, e.g.:
    python3 -m venv /work/venv-onnx && /work/venv-onnx/bin/pip install onnx onnxruntime numpy
    /work/venv-onnx/bin/python tools/onnx/check_onnx.py model.onnx
CI does not run this script; the Java tests in the onnxruntime module run ONNX Runtime's Java API.
"""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="the .onnx file")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random images")
    args = parser.parse_args(argv)

    model = onnx.load(args.model)
    onnx.checker.check_model(model, full_check=True)
    opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
    print(f"onnx.checker: ok (onnx {onnx.__version__}, IR version {model.ir_version}, "
          f"opsets {opsets}, producer {model.producer_name} {model.producer_version})")

    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    (out,) = session.get_outputs()
    print(f"input {inp.name} {inp.shape} {inp.type}; output {out.name} {out.shape} {out.type}")
    if not isinstance(inp.shape[0], str) or not isinstance(out.shape[0], str):
        print("FAIL: the batch axis is not dynamic")
        return 1
    rng = np.random.default_rng(args.seed)
    per_image = [int(d) for d in inp.shape[1:]]
    images = rng.random([5] + per_image, dtype=np.float32)
    (five,) = session.run(None, {inp.name: images})
    (one,) = session.run(None, {inp.name: images[:1]})
    print(f"onnxruntime {ort.__version__}: batch 5 -> {list(five.shape)}, batch 1 -> "
          f"{list(one.shape)}")
    gap = float(np.max(np.abs(five[:1] - one)))
    print(f"first image alone vs in the batch: largest difference {gap:.2e}")
    sums = five.reshape(five.shape[0], -1).sum(axis=1)
    print("row sums (1 after a final softmax): " + " ".join(f"{s:.6f}" for s in sums))
    if not np.all(np.isfinite(five)) or gap > 1e-5:
        print("FAIL: non-finite outputs or batch-dependent results")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
