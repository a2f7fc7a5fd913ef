#!/usr/bin/env bash
# Batch-1 serving latency of ResNet-20, side by side in one run on this machine: fwprune's
# Cnn.predictor() timed alone (ServingLatency ... alone), then ONNX Runtime (Python) on the file it
# exported and PyTorch 2.13 (bench/serving_peers.py), for 1 and 2 intra-op threads.
#
#   bench/serving-peers.sh PYTHON
#
# PYTHON: an interpreter with onnxruntime, torch and numpy (a venv outside the repository, from
# the machine's configured package index and local wheels). Build the jar first:
# mvn -q -B package -DskipTests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:?usage: bench/serving-peers.sh PYTHON}
JAR=${FWPRUNE_JAR:-examples/target/fwprune.jar}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PYTHONDONTWRITEBYTECODE=1
for threads in 1 2; do
  java -cp "$JAR" org.fwprune.examples.benchmark.ServingLatency resnet20 "$threads" 300 2000 \
    alone "$WORK/resnet20.onnx" 2>/dev/null
  "$PY" bench/serving_peers.py "$WORK/resnet20.onnx" "$threads"
done
