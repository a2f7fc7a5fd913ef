#!/usr/bin/env bash
# Interruption test of `reproduce` (reliability issue): SIGINT and SIGKILL must lose no finished
# row of results.csv and never leave a torn row, and --resume must finish the run with rows equal
# to an uninterrupted run for every deterministic column. Needs the built jar and the MNIST folder.
set -euo pipefail
# Background jobs of a script inherit SIGINT ignored (and a shell started in the background cannot
# undo that); env --default-signal gives the JVM the default handler, as in a terminal.
RUN=(env --default-signal=INT java -jar)
# shellcheck source=.ci/setup.sh
. "$(dirname "$0")/setup.sh" kill-test
ARGS=(reproduce --data "$DATA" --budgets 1,2 --seeds 1 --tune-budget 1 --lr-grid 0.1
      --fine-tune-steps 60 --methods dense,dense-trained-on,one-shot,gradual-magnitude,fw,fw-momentum)

rows() { tail -n +2 "$1/results.csv" | wc -l; }
# Columns that do not depend on timing: method .. nonzero_fraction, gradient_evaluations.
stable() { tail -n +2 "$1/results.csv" | cut -d, -f1-7,12 | sort; }
check_csv() {
  local bad
  local fields
  fields=$(head -1 "$1/results.csv" | awk -F, '{print NF}')
  bad=$(tail -n +2 "$1/results.csv" | awk -F, -v n="$fields" 'NF != n' | wc -l)
  if [ "$bad" -ne 0 ]; then echo "kill-test: FAIL, torn row in $1/results.csv"; cat "$1/results.csv"; exit 1; fi
}
wait_rows() {  # wait until the run in $2 (process $3, log $4) has at least $1 rows
  for _ in $(seq 1 1800); do
    if [ -f "$2/results.csv" ] && [ "$(rows "$2")" -ge "$1" ]; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "kill-test: FAIL, the run ended before writing $1 rows:"; tail -20 "$4"; exit 1
    fi
    sleep 0.5
  done
  echo "kill-test: FAIL, fewer than $1 rows after 900 s"; tail -20 "$4"; exit 1
}

echo "kill-test: reference run"
java -jar "$JAR" "${ARGS[@]}" --out "$WORK/ref" > "$WORK/ref.log" 2>&1

echo "kill-test: SIGINT after the first rows"
"${RUN[@]}" "$JAR" "${ARGS[@]}" --out "$WORK/run" > "$WORK/run1.log" 2>&1 &
PID=$!
wait_rows 2 "$WORK/run" "$PID" "$WORK/run1.log"
kill -INT "$PID"; wait "$PID" || true
check_csv "$WORK/run"
AFTER_INT=$(rows "$WORK/run")
if [ "$AFTER_INT" -ge "$(rows "$WORK/ref")" ]; then
  echo "kill-test: FAIL, SIGINT did not stop the run"; exit 1
fi

echo "kill-test: SIGKILL during the resumed run"
java -jar "$JAR" "${ARGS[@]}" --out "$WORK/run" --resume > "$WORK/run2.log" 2>&1 &
PID=$!
wait_rows $((AFTER_INT + 1)) "$WORK/run" "$PID" "$WORK/run2.log"
kill -KILL "$PID"; wait "$PID" || true
check_csv "$WORK/run"
AFTER_KILL=$(rows "$WORK/run")
if [ "$AFTER_KILL" -le "$AFTER_INT" ]; then echo "kill-test: FAIL, rows were lost"; exit 1; fi

echo "kill-test: resume to the end"
java -jar "$JAR" "${ARGS[@]}" --out "$WORK/run" --resume > "$WORK/run3.log" 2>&1
check_csv "$WORK/run"
if ! diff <(stable "$WORK/ref") <(stable "$WORK/run"); then
  echo "kill-test: FAIL, resumed rows differ from the uninterrupted run"; exit 1
fi
echo "kill-test: OK ($AFTER_INT rows after SIGINT, $AFTER_KILL after SIGKILL, $(rows "$WORK/run") in the end, equal to the reference)"
