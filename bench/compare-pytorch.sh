#!/usr/bin/env bash
# Times fwprune against PyTorch on this machine's CPU, in one run, on the same network,
# initialisation, batch, optimizer and thread count, and prints the ratios side by side.
#
#   bench/compare-pytorch.sh [--network paper|resnet20|all] [--rounds R] [--data DIR]
#                            [--warmup-steps W] [--chunks C] [--chunk-steps S] [--out FILE]
#                            [--omp-wait-policies default,PASSIVE]
#
# fwprune: `java -jar examples/target/fwprune.jar benchmark --against-pytorch --network NET`
# (build it first with `mvn -q -B package -DskipTests`). PyTorch: bench/pytorch_bench.py with
# Debian's python3-torch, installed with apt-get when missing (as root), with OpenBLAS. Each round
# runs fwprune and PyTorch once, taking turns to go first; PyTorch runs with OpenMP's default
# waiting and with OMP_WAIT_POLICY=PASSIVE (--omp-wait-policies), which matters on a machine whose
# cores are shared.
# Figures are medians over the rounds; ratios are fwprune against each PyTorch setting.
set -euo pipefail
cd "$(dirname "$0")/.."

NETWORK=paper
ROUNDS=2
DATA=${FWPRUNE_DATA_DIR:-../shared/datasets/mnist}
WARMUP=""
CHUNKS=""
CHUNK_STEPS=""
OUT=""
JAR=${FWPRUNE_JAR:-examples/target/fwprune.jar}
# Debian's interpreter: a pyenv or virtualenv python3 first on PATH does not see dist-packages.
PY=${PYTHON:-/usr/bin/python3}
THREADS=$(nproc)
POLICIES=(default PASSIVE)
# Keep the checkout free of __pycache__ folders.
export PYTHONDONTWRITEBYTECODE=1

die() { echo "compare-pytorch: $*" >&2; exit 2; }
positive() { [[ "$2" =~ ^[1-9][0-9]{0,5}$ ]] || die "$1 must be a whole number >= 1, got '$2'"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --network) NETWORK=${2:?}; shift 2 ;;
    --rounds) positive "$1" "${2:-}"; ROUNDS=$2; shift 2 ;;
    --data) DATA=${2:?}; shift 2 ;;
    --warmup-steps) [[ "${2:-}" =~ ^[0-9]{1,6}$ ]] || die "--warmup-steps must be >= 0, got '${2:-}'"
                    WARMUP=$2; shift 2 ;;
    --chunks) positive "$1" "${2:-}"; CHUNKS=$2; shift 2 ;;
    --chunk-steps) positive "$1" "${2:-}"; CHUNK_STEPS=$2; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --omp-wait-policies) IFS=, read -r -a POLICIES <<<"${2:?}"; shift 2
      for p in "${POLICIES[@]}"; do
        [[ "$p" =~ ^(default|PASSIVE|ACTIVE)$ ]] \
          || die "--omp-wait-policies takes default, PASSIVE or ACTIVE, got '$p'"
      done ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
case "$NETWORK" in
  paper|resnet20) NETWORKS=("$NETWORK") ;;
  all) NETWORKS=(paper resnet20) ;;
  *) die "--network must be paper, resnet20 or all, got '$NETWORK'" ;;
esac
[ -d "$DATA" ] || die "no MNIST folder at $DATA (give --data DIR or set FWPRUNE_DATA_DIR)"
[ -f "$JAR" ] || die "no $JAR: build it with 'mvn -q -B package -DskipTests'"

# --- PyTorch -------------------------------------------------------------------------------
if ! "$PY" -c 'import torch' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "$PY cannot import torch; install Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread, as root)"
  fi
  echo "compare-pytorch: installing python3-torch and libopenblas0-pthread with apt-get"
  start=$(date +%s)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread \
      >/dev/null || { apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread \
          >/dev/null; } || die "apt-get install python3-torch failed"
  echo "compare-pytorch: installed in $(( $(date +%s) - start )) s"
  "$PY" -c 'import torch' || die "$PY still cannot import torch after installing python3-torch"
fi
# Debian's torch calls the libblas.so.3 alternative; the reference BLAS (libblas3) that apt may
# pick for it is several times slower than OpenBLAS on matrix products.
OPENBLAS=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ -d "$OPENBLAS" ]; then
  export LD_LIBRARY_PATH="$OPENBLAS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  echo "compare-pytorch: warning: no OpenBLAS at $OPENBLAS; PyTorch uses whatever libblas.so.3 is"
fi
"$PY" -m unittest discover -s bench -p 'test_*.py' 2>&1 | tail -1 | grep -qx OK \
  || die "bench/test_pytorch_bench.py failed: the PyTorch networks are not fwprune's"

# --- fwprune -------------------------------------------------------------------------------
HELP=$(java -jar "$JAR" benchmark --help)
grep -q -- '--against-pytorch' <<<"$HELP" \
  || die "$JAR has no 'benchmark --against-pytorch'; rebuild it from this checkout"

# Defaults per network: ResNet-20 needs about 13x the paper CNN's multiply-adds per image (31 M
# against 2.4 M forward) and BatchNorm on top, so it gets fewer steps and predict calls.
settings() {
  local w c s
  local one=400 thousand=30
  if [ "$1" = paper ]; then w=50 c=9 s=48; else w=5 c=5 s=4 one=100 thousand=3; fi
  echo "--warmup-steps ${WARMUP:-$w} --chunks ${CHUNKS:-$c} --chunk-steps ${CHUNK_STEPS:-$s}" \
    "--batch-1-repeats $one --batch-1000-repeats $thousand"
}

RESULTS=${OUT:-$(mktemp -t compare-pytorch.XXXXXX.jsonl)}
: > "$RESULTS"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "compare-pytorch: $(nproc) cores, $THREADS threads each, load average $(load);" \
  "JSON lines in $RESULTS"
run_fwprune() {  # network, settings...
  local net=$1; shift
  echo "  fwprune $net"
  local log="$RESULTS.fwprune.log"
  nice java -jar "$JAR" benchmark --data "$DATA" --threads "$THREADS" --against-pytorch \
    --network "$net" "$@" > "$log" 2>&1 || { tail -20 "$log" >&2; die "fwprune benchmark failed"; }
  grep '"kind":"comparable"' "$log" >> "$RESULTS"
}
run_pytorch() {  # network, settings...
  local net=$1; shift
  for policy in "${POLICIES[@]}"; do
    echo "  pytorch $net (OMP_WAIT_POLICY $policy)"
    if [ "$policy" = default ]; then
      nice "$PY" bench/pytorch_bench.py --data "$DATA" --threads "$THREADS" --network "$net" "$@"
    else
      OMP_WAIT_POLICY=$policy nice "$PY" bench/pytorch_bench.py --data "$DATA" \
        --threads "$THREADS" --network "$net" "$@"
    fi | tee -a "$RESULTS" | grep -q '"kind": "comparable"' || die "pytorch_bench.py failed"
  done
}
for net in "${NETWORKS[@]}"; do
  # shellcheck disable=SC2046 # settings() prints separate options on purpose
  set -- $(settings "$net")
  has_fwprune=true
  if [ "$net" != paper ] && ! grep -q "among: .*$net" <<<"$HELP"; then
    has_fwprune=false
    echo "compare-pytorch: this fwprune cannot build $net yet ('benchmark --network' offers" \
      "$(grep -o 'among: [a-z0-9, ]*' <<<"$HELP" | head -1 | cut -c8-)); timing PyTorch alone," \
      "no ratio for $net"
  fi
  for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS, $net, load average $(load)"
    if $has_fwprune && [ $((round % 2)) -eq 1 ]; then run_fwprune "$net" "$@"; fi
    run_pytorch "$net" "$@"
    if $has_fwprune && [ $((round % 2)) -eq 0 ]; then run_fwprune "$net" "$@"; fi
  done
done
echo "load average at the end $(load)"
"$PY" bench/compare_table.py "$RESULTS"
