package org.fwprune.pruning.constraints;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The brute-force check shared by the K-support and group K-support ball tests: the K-support
 * ball is the group ball with groups of one entry.
 */
final class KSupportCases {

  private KSupportCases() {}

  /** Every (size, K) with 1 <= K <= size <= 6, each with the gradient seeds 11, 22 and 33. */
  static Stream<Arguments> cases() {
    return IntStream.rangeClosed(1, 6).boxed()
        .flatMap(n -> IntStream.rangeClosed(1, n).mapToObj(k -> new int[] {n, k}))
        .flatMap(nk -> IntStream.of(11, 22, 33).mapToObj(s -> Arguments.of(nk[0], nk[1], s)));
  }

  /**
   * The minimum of {@code <g, v>} over the ball by brute force: the extreme points are vectors of
   * L2 norm r on K groups (entry {@code i} is in group {@code i % groups}), and on a set S of
   * groups the best is {@code -r g_S / ||g_S||} with value {@code -r ||g_S||}; so the minimum is
   * {@code -r max_S ||g_S||}. With {@code groups = g.length} it is the K-support ball's.
   */
  static double bruteForceMinimum(float[] g, int groups, int k, double r) {
    double best = 0;
    for (int subset = 0; subset < (1 << groups); subset++) {
      if (Integer.bitCount(subset) != k) {
        continue;
      }
      double squares = 0;
      for (int i = 0; i < g.length; i++) {
        if ((subset & (1 << (i % groups))) != 0) {
          squares += (double) g[i] * g[i];
        }
      }
      best = Math.min(best, -r * Math.sqrt(squares));
    }
    return best;
  }
}
