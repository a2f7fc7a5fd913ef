package org.fwprune.examples.benchmark;

import java.util.Arrays;

/** Median wall time of repeated runs, the measure every benchmark figure uses. */
final class Timing {

  private Timing() {}

  /** Runs {@code body} {@code warmup} times untimed, then {@code repeats} times; returns the median seconds per run. */
  static double median(int warmup, int repeats, Runnable body) {
    for (int i = 0; i < warmup; i++) {
      body.run();
    }
    double[] seconds = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      body.run();
      seconds[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds[repeats / 2];
  }
}
