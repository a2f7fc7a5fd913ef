package org.fwprune.pruning.constraints;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.fwprune.pruning.constraints.GraphTesting.constant;
import static org.fwprune.pruning.constraints.GraphTesting.dot;
import static org.fwprune.pruning.constraints.GraphTesting.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KSupportNormBall}: its LMO against brute force over all supports, its graph ops against
 * Java, its norm against the L1/L2 special cases and the dual norm.
 */
class KSupportNormBallTest {

  /** Objective values are summed in double over at most 6 float entries. */
  private static final double OBJECTIVE_TOLERANCE = 1e-6;

  private static final double RADIUS = 0.7;

  @ParameterizedTest(name = "n={0} K={1} seed={2}")
  @MethodSource("org.fwprune.pruning.constraints.KSupportCases#cases")
  void lmo_reachesBruteForceMinimumAndIsFeasible(int n, int k, int seed) {
    float[] g = gaussian(new Random(seed), n);
    KSupportNormBall ball = KSupportNormBall.ofCount(k);
    float[] v = ball.lmo(g, RADIUS);
    assertEquals(KSupportCases.bruteForceMinimum(g, n, k, RADIUS), dot(g, v),
        OBJECTIVE_TOLERANCE);
    // Float rounding of v's entries: 1e-6 relative.
    assertTrue(ball.contains(v, RADIUS, 1e-6 * RADIUS));
  }

  @Test
  void lmo_keepsTheKLargestEntriesScaledToRadius() {
    // K = 2 keeps g_1 = -3 and g_3 = 4; ||(-3, 4)|| = 5, so v = -2 (-3, 4) / 5.
    float[] v = KSupportNormBall.ofCount(2).lmo(new float[] {1, -3, 2, 4}, 2.0);
    assertArrayEquals(new float[] {0, 1.2f, 0, -1.6f}, v, 1e-6f);
  }

  @Test
  void lmo_tiesPickLowestIndices() {
    // |g| = 3 at 1, 2, 4; K = 2 keeps 1 and 2: v = -r (-3, 3) / (3 sqrt 2).
    float[] v = KSupportNormBall.ofCount(2).lmo(new float[] {1, -3, 3, 2, -3}, 1.0);
    float e = (float) (1 / Math.sqrt(2));
    assertArrayEquals(new float[] {0, e, -e, 0, 0}, v, 1e-6f);
  }

  @Test
  void lmo_zeroGradient_givesZeroVector() {
    assertArrayEquals(new float[4], KSupportNormBall.ofCount(2).lmo(new float[4], RADIUS));
  }

  @Test
  void lmo_kEqualsOne_isTheL1BallVertex() {
    float[] g = gaussian(new Random(3), 9);
    assertArrayEquals(L1Ball.create().lmo(g, RADIUS), KSupportNormBall.ofCount(1).lmo(g, RADIUS),
        1e-6f);
  }

  @Test
  void lmo_kEqualsN_isTheL2BallVertex() {
    float[] g = gaussian(new Random(4), 9);
    assertArrayEquals(L2Ball.create().lmo(g, RADIUS),
        KSupportNormBall.ofFraction(1.0).lmo(g, RADIUS), 1e-6f);
  }

  static Stream<Arguments> graphCases() {
    return Stream.of(
        Arguments.of(KSupportNormBall.ofCount(3), new long[] {7}),
        Arguments.of(KSupportNormBall.ofFraction(0.2), new long[] {3, 4}),
        Arguments.of(KSupportNormBall.ofFraction(0.05), new long[] {5, 5, 1, 4}),
        Arguments.of(KSupportNormBall.ofFraction(1.0), new long[] {2, 3, 2, 2}));
  }

  @ParameterizedTest(name = "{0} shape={1}")
  @MethodSource("graphCases")
  void lmo_graph_matchesJava(KSupportNormBall ball, long[] shape) {
    int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] g = gaussian(new Random(n), n);
    float[] graph = GraphTesting.runOne(
        tf -> ball.lmo(tf, constant(tf, g, shape), tf.constant((float) RADIUS)));
    assertClose(ball.lmo(g, RADIUS), graph, GRAPH_TOLERANCE);
  }

  @Test
  void lmo_graphZeroGradient_givesZeroNotNan() {
    float[] graph = GraphTesting.runOne(
        tf -> KSupportNormBall.ofCount(2).lmo(tf, constant(tf, new float[6], 2, 3),
            tf.constant(1f)));
    assertArrayEquals(new float[6], graph);
  }

  @Test
  void norm_kEqualsOne_isL1Norm() {
    float[] x = {1, -2, 0.5f, 3};
    assertEquals(6.5, KSupportNormBall.ofCount(1).norm(x), 1e-9);
  }

  @Test
  void norm_kEqualsN_isL2Norm() {
    float[] x = {1, -2, 0.5f, 3};
    assertEquals(Math.sqrt(14.25), KSupportNormBall.ofCount(4).norm(x), 1e-9);
  }

  @Test
  void norm_kSparseVector_isL2Norm() {
    float[] x = {0, 3, 0, -4, 0};
    assertEquals(5.0, KSupportNormBall.ofCount(2).norm(x), 1e-9);
  }

  @Test
  void norm_equalEntries_matchesHandDecomposition() {
    // (1, 1, 1), K = 2: three pairs (0.5, 0.5) on each support sum to x, each of L2 norm
    // sqrt(0.5), total 3 sqrt(0.5); Proposition 2.1 with s = 1 gives sqrt(3^2 / 2), the same.
    assertEquals(3 * Math.sqrt(0.5), KSupportNormBall.ofCount(2).norm(new float[] {1, 1, 1}),
        1e-9);
  }

  /**
   * The dual norm of the K-support norm is the L2 norm of the K largest |g_i| (McDonald et al.
   * 2016), and {@code -<g, lmo(g, 1)>} computes it. So {@code <x, g> <= ||x||_sp ||g||_*} for
   * every g (Hölder), checked on random g; and the norm is attained: for each split s of the
   * sorted magnitudes the certificate g_s (x itself on the K-s-1 largest entries, {@code sign(x_i)
   * T_s / (s+1)} on the rest) has ratio {@code <x, g_s> / ||g_s||_*} at most the norm, and the
   * best of them equals it.
   */
  @ParameterizedTest(name = "n={0} K={1} seed={2}")
  @MethodSource("org.fwprune.pruning.constraints.KSupportCases#cases")
  void norm_isTheDualOfTopKL2Norm(int n, int k, int seed) {
    Random random = new Random(seed);
    float[] x = gaussian(random, n);
    KSupportNormBall ball = KSupportNormBall.ofCount(k);
    double norm = ball.norm(x);
    for (int trial = 0; trial < 2_000; trial++) {
      float[] g = gaussian(random, n);
      double ratio = dot(x, g) / -dot(g, ball.lmo(g, 1.0));
      assertTrue(ratio <= norm * (1 + 1e-6), "Hölder violated: " + ratio + " > " + norm);
    }
    Integer[] order = IntStream.range(0, n).boxed()
        .sorted((a, b) -> Float.compare(Math.abs(x[b]), Math.abs(x[a]))).toArray(Integer[]::new);
    double best = 0;
    for (int s = 0; s < k; s++) {
      int head = k - s - 1;
      double tail = 0;
      for (int j = head; j < n; j++) {
        tail += Math.abs(x[order[j]]);
      }
      float[] g = new float[n];
      for (int j = 0; j < n; j++) {
        int i = order[j];
        g[i] = j < head ? x[i] : (float) (Math.signum(x[i]) * tail / (s + 1));
      }
      double ratio = dot(x, g) / -dot(g, ball.lmo(g, 1.0));
      assertTrue(ratio <= norm * (1 + 1e-6), "certificate above the norm: " + ratio);
      best = Math.max(best, ratio);
    }
    // Float rounding of the certificate's entries: 1e-6 relative.
    assertEquals(norm, best, 1e-6 * norm);
  }

  @Test
  void contains_rejectsPointJustOutside() {
    KSupportNormBall ball = KSupportNormBall.ofCount(2);
    assertTrue(ball.contains(new float[] {0, 3, 0, -4}, 5.0, 0));
    assertFalse(ball.contains(new float[] {0.1f, 3, 0, -4}, 5.0, 1e-3));
  }

  @Test
  void contains_nan_isFalse() {
    assertFalse(KSupportNormBall.ofCount(2).contains(new float[] {0, Float.NaN}, 5.0, 0));
  }

  @Test
  void diameter_isTwiceRadius_andRadiusForDiameterInvertsIt() {
    KSupportNormBall ball = KSupportNormBall.ofFraction(0.05);
    assertEquals(1.4, ball.diameter(0.7, 100), 1e-12);
    assertEquals(0.37, ball.radiusForDiameter(ball.diameter(0.37, 40), 40), 1e-12);
  }

  @Test
  void ofFraction_outOfRange_throwsWithAllowedRange() {
    assertEquals("fraction must be in (0, 1], got 1.5", assertThrows(
        IllegalArgumentException.class, () -> KSupportNormBall.ofFraction(1.5)).getMessage());
  }

  @Test
  void equals_sameFraction_isEqualAndDiffersFromPolytope() {
    assertEquals(KSupportNormBall.ofFraction(0.05), KSupportNormBall.ofFraction(0.05));
    assertFalse(KSupportNormBall.ofFraction(0.05).equals(KSparsePolytope.ofFraction(0.05)));
  }
}
