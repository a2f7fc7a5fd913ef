package org.fwprune.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import org.fwprune.core.check.Require;

/**
 * Median wall time of repeated calls, the measure every timing in this project reports: the
 * median ignores the slow outliers of a shared machine, and warm-up calls let the JVM and
 * TensorFlow settle first. Several bodies are timed in alternation, call by call, so that a slow
 * spell hits them alike, each round starting with the next body so that the order within a round
 * does not favour one.
 */
public final class MedianTimer {

  private MedianTimer() {}

  /**
   * Median seconds of one call of {@code body} after {@code warmup} untimed calls.
   *
   * @param warmup untimed calls, in [0, 1e6]
   * @param repeats timed calls, in [1, 1e6]
   */
  public static double median(int warmup, int repeats, Runnable body) {
    checkArgument(body != null, "body must not be null");
    return alternate(List.of(body), warmup, repeats).get(0);
  }

  /**
   * Median seconds of one call of each body, the bodies taking turns: {@code warmup} untimed then
   * {@code repeats} timed rounds.
   *
   * @param bodies what to time, at least one
   * @param warmup untimed rounds, in [0, 1e6]
   * @param repeats timed rounds, in [1, 1e6]
   * @return one median per body, in order
   */
  public static List<Double> alternate(List<Runnable> bodies, int warmup, int repeats) {
    checkArgument(bodies != null && !bodies.isEmpty(), "bodies must not be empty");
    Require.inClosed("warmup", warmup, 0, 1_000_000);
    Require.inClosed("repeats", repeats, 1, 1_000_000);
    int n = bodies.size();
    double[][] seconds = new double[n][repeats];
    for (int i = 0; i < warmup + repeats; i++) {
      for (int j = 0; j < n; j++) {
        // Each round starts with the next body, so that no body always runs right after the
        // same one (the previous body's working set evicts caches).
        int b = (i + j) % n;
        long start = System.nanoTime();
        bodies.get(b).run();
        if (i >= warmup) {
          seconds[b][i - warmup] = (System.nanoTime() - start) / 1e9;
        }
      }
    }
    ImmutableList.Builder<Double> medians = ImmutableList.builder();
    for (double[] s : seconds) {
      Arrays.sort(s);
      medians.add(s[repeats / 2]);
    }
    return medians.build();
  }
}
