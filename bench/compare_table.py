#!/usr/bin/env python3
"""Prints compare-pytorch.sh's side-by-side table from its JSON lines (standard library only).

Each figure is the median over the rounds. Training ratio: fwprune images/s over PyTorch's
(goal >= 1.3, issue 18). Inference ratio: PyTorch ms/example over fwprune's, i.e. fwprune's
speed-up (goal >= 2).
"""

import json
import statistics
import sys

METRICS = [("train_images_per_s", "training, images/s", True, 1.3),
           ("predict_ms_per_example_batch_1", "inference batch 1, ms/example", False, 2.0),
           ("predict_ms_per_example_batch_1000", "inference batch 1000, ms/example", False, 2.0)]


def label(line):
    if line["framework"] == "fwprune":
        return "fwprune"
    policy = line.get("omp_wait_policy", "default")
    return "pytorch" if policy == "default" else f"pytorch OMP_WAIT_POLICY={policy}"


def main(path):
    runs = {}
    environment = None
    with open(path) as f:
        for text in f:
            line = json.loads(text)
            if line.get("kind") == "environment" and line.get("framework") == "pytorch":
                environment = line
            if line.get("kind") == "comparable":
                runs.setdefault(line["network"], {}).setdefault(label(line), []).append(line)
    if environment:
        print(f"PyTorch {environment['torch']}, {environment['threads']} threads, BLAS "
              f"{(environment.get('blas') or ['?'])[0]}, CPU capability "
              f"{environment.get('cpu_capability')}")
    for network, frameworks in runs.items():
        print(f"\n{network}: " + "; ".join(
            f"{name} {lines[0]['parameters']:,} parameters, {len(lines)} run(s) of "
            f"{lines[0]['timed_steps']} timed steps" for name, lines in frameworks.items()))
        names = list(frameworks)
        others = [n for n in names if n != "fwprune"]
        header = ["figure"] + names + ([f"ratio vs {n}" for n in others]
                                       if "fwprune" in frameworks else []) + ["goal"]
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        for key, title, higher_better, goal in METRICS:
            medians = {n: statistics.median(l[key] for l in frameworks[n] if key in l)
                       for n in names if any(key in l for l in frameworks[n])}
            row = [title] + [f"{medians[n]:,.4g}" if n in medians else "-" for n in names]
            if "fwprune" in frameworks:
                for n in others:
                    if n in medians and "fwprune" in medians:
                        ratio = (medians["fwprune"] / medians[n] if higher_better
                                 else medians[n] / medians["fwprune"])
                        row.append(f"**{ratio:.2f}x**")
                    else:
                        row.append("-")
            row.append(f">= {goal}x")
            print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: compare_table.py RESULTS.jsonl")
    sys.exit(main(sys.argv[1]))
