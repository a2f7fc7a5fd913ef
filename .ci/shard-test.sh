#!/usr/bin/env bash
# Cluster test of `reproduce` (docs/cluster.md): shards that take their index from a SLURM job
# array's or a Kubernetes Indexed Job's environment, merged, give the rows of a single-machine run
# for every column that does not depend on timing; inconsistent variables are a usage error.
# Needs the built jar and the MNIST folder.
set -euo pipefail
# shellcheck source=.ci/setup.sh
. "$(dirname "$0")/setup.sh" shard-test
ARGS=(reproduce --data "$DATA" --budgets 1 --seeds 1 --tune-budget 1 --lr-grid 0.1
      --fine-tune-steps 30 --methods dense,one-shot,fw --threads 2)
# Columns that do not depend on timing: method .. nonzero_fraction, gradient_evaluations, FLOPs.
stable() { tail -n +2 "$1/results.csv" | cut -d, -f1-7,12-13 | sort; }
fail() { echo "shard-test: FAIL, $*"; exit 1; }
merged_equals_single() {  # name: merges $WORK/name-? into $WORK/name and compares
  java -jar "$JAR" merge --out "$WORK/$1" "$WORK/$1"-? > "$WORK/$1-merge.log" 2>&1 \
    || { tail -20 "$WORK/$1-merge.log"; fail "merge of the $1 shards"; }
  diff <(stable "$WORK/single") <(stable "$WORK/$1") \
    || fail "the merged $1 shards differ from the single-machine run"
}

echo "shard-test: single-machine run"
env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u FWPRUNE_SHARD_COUNT \
  java -jar "$JAR" "${ARGS[@]}" --out "$WORK/single" > "$WORK/single.log" 2>&1 \
  || { tail -20 "$WORK/single.log"; fail "single run"; }

echo "shard-test: SLURM job array of 3 tasks"
for id in 0 1 2; do
  env SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=0 \
    SLURM_ARRAY_TASK_MAX=2 java -jar "$JAR" "${ARGS[@]}" --resume --out "$WORK/slurm-$id" \
    > "$WORK/slurm-$id.log" 2>&1 || { tail -20 "$WORK/slurm-$id.log"; fail "SLURM task $id"; }
  grep -q "^shard $((id + 1))/3 (SLURM_ARRAY_TASK_ID=$id" "$WORK/slurm-$id.log" \
    || fail "task $id did not say it runs shard $((id + 1))/3"
done
merged_equals_single slurm

echo "shard-test: Kubernetes Indexed Job of 2 pods"
for index in 0 1; do
  env -u SLURM_ARRAY_TASK_ID JOB_COMPLETION_INDEX=$index FWPRUNE_SHARD_COUNT=2 \
    java -jar "$JAR" "${ARGS[@]}" --out "$WORK/k8s-$index" > "$WORK/k8s-$index.log" 2>&1 \
    || { tail -20 "$WORK/k8s-$index.log"; fail "Kubernetes index $index"; }
done
merged_equals_single k8s

echo "shard-test: an index without a count is refused"
status=0
env -u SLURM_ARRAY_TASK_ID -u FWPRUNE_SHARD_COUNT JOB_COMPLETION_INDEX=0 \
  java -jar "$JAR" "${ARGS[@]}" --out "$WORK/bad" > "$WORK/bad.log" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q FWPRUNE_SHARD_COUNT "$WORK/bad.log" \
  || { cat "$WORK/bad.log"; fail "expected exit status 2 naming FWPRUNE_SHARD_COUNT, got $status"; }
[ ! -e "$WORK/bad/results.csv" ] || fail "the refused run wrote results"
echo "shard-test: OK ($(stable "$WORK/single" | wc -l) rows, equal after both merges)"
