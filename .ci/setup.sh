# Sourced by the CI tests of the built tool: from the repository root, sets DATA (MNIST,
# $FWPRUNE_DATA_DIR or the copy beside the clone; the test is skipped without it), JAR and WORK (a temporary folder removed on exit). $1: the test's name.
cd "$(dirname "$0")/.."
DATA=${FWPRUNE_DATA_DIR:-../shared/datasets/mnist}
if [ ! -d "$DATA" ]; then
  echo "$1: skipped, no MNIST folder at $DATA"
  exit 0
fi
JAR=${FWPRUNE_JAR:-examples/target/fwprune.jar}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
