package org.fwprune.pruning.constraints;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.fwprune.pruning.constraints.GraphTesting.constant;
import static org.fwprune.pruning.constraints.GraphTesting.dot;
import static org.fwprune.pruning.constraints.GraphTesting.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fwprune.core.testing.Refusals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupKSupportNormBall}: its LMO by hand, against brute force over every set of groups and
 * against random feasible points, its graph ops against Java, its norm's special cases and its
 * argument checks.
 */
class GroupKSupportNormBallTest {

  /** Objective values are summed in double over at most 24 float entries of size about 1. */
  private static final double OBJECTIVE_TOLERANCE = 1e-6;

  private static final double RADIUS = 0.7;

  @Test
  void lmo_keepsTheGroupOfLargestNormScaledToRadius() {
    // Shape [2, 3], groups = columns: (3, 4) norm 5, (0, 1) norm 1, (1, -1) norm sqrt 2. K = 1
    // keeps column 0: v = -2 (3, 4) / 5 at flat indices 0 and 3.
    float[] g = {3, 0, 1, 4, 1, -1};
    float[] v = GroupKSupportNormBall.ofCount(1).lmo(g, 3, 2.0);
    assertArrayEquals(new float[] {-1.2f, 0, 0, -1.6f, 0, 0}, v, 1e-6f);
  }

  @Test
  void lmo_twoGroups_scalesTheirJointNormToRadius() {
    // K = 2 keeps columns 0 and 2; their joint norm is sqrt(25 + 2) = sqrt 27.
    float[] g = {3, 0, 1, 4, 1, -1};
    float[] v = GroupKSupportNormBall.ofCount(2).lmo(g, 3, 1.0);
    float s = (float) (1 / Math.sqrt(27));
    assertArrayEquals(new float[] {-3 * s, 0, -s, -4 * s, 0, s}, v, 1e-6f);
  }

  @Test
  void lmo_tiesPickLowestGroupIndices() {
    // Shape [1, 4]: norms 2, 2, 1, 2; K = 2 keeps groups 0 and 1.
    float[] v = GroupKSupportNormBall.ofCount(2).lmo(new float[] {2, -2, 1, 2}, 4, 1.0);
    float e = (float) (1 / Math.sqrt(2));
    assertArrayEquals(new float[] {-e, e, 0, 0}, v, 1e-6f);
  }

  @Test
  void lmo_zeroGradient_givesZeroVector() {
    assertArrayEquals(new float[6], GroupKSupportNormBall.ofCount(2).lmo(new float[6], 3, RADIUS));
  }

  @Test
  void lmo_groupsOfOneEntry_isTheKSupportBall() {
    float[] g = gaussian(new Random(5), 9);
    assertArrayEquals(KSupportNormBall.ofCount(3).lmo(g, RADIUS),
        GroupKSupportNormBall.ofCount(3).lmo(g, RADIUS), 1e-6f);
  }

  @Test
  void lmo_allGroups_isTheL2BallVertex() {
    float[] g = gaussian(new Random(6), 12);
    assertArrayEquals(L2Ball.create().lmo(g, RADIUS),
        GroupKSupportNormBall.ofFraction(1.0).lmo(g, 4, RADIUS), 1e-6f);
  }

  @ParameterizedTest(name = "groups={0} K={1} seed={2}")
  @MethodSource("org.fwprune.pruning.constraints.KSupportCases#cases")
  void lmo_reachesBruteForceMinimumAndIsFeasible(int groups, int k, int seed) {
    float[] g = gaussian(new Random(seed), 4 * groups);
    GroupKSupportNormBall ball = GroupKSupportNormBall.ofCount(k);
    float[] v = ball.lmo(g, groups, RADIUS);
    assertEquals(KSupportCases.bruteForceMinimum(g, groups, k, RADIUS), dot(g, v),
        OBJECTIVE_TOLERANCE);
    // Float rounding of v's entries: 1e-6 relative.
    assertTrue(ball.contains(v, groups, RADIUS, 1e-6 * RADIUS));
  }

  @Test
  void lmo_beatsRandomFeasiblePoints() {
    // Feasible points: convex combinations of random vectors on K random groups with L2 norm at
    // most r. None may have a lower objective than the LMO's vertex (tolerance 1e-6 absolute).
    Random random = new Random(7);
    int groups = 8;
    GroupKSupportNormBall ball = GroupKSupportNormBall.ofCount(3);
    float[] g = gaussian(random, 5 * groups);
    double best = dot(g, ball.lmo(g, groups, RADIUS));
    for (int trial = 0; trial < 500; trial++) {
      float[] x = new float[g.length];
      int terms = 1 + random.nextInt(4);
      for (int t = 0; t < terms; t++) {
        float[] atom = randomAtom(random, g.length, groups, 3, RADIUS * random.nextDouble());
        for (int i = 0; i < x.length; i++) {
          x[i] += atom[i] / terms;
        }
      }
      assertTrue(ball.contains(x, groups, RADIUS, 1e-6), "trial " + trial);
      assertTrue(best <= dot(g, x) + 1e-6, "trial " + trial);
    }
  }

  /** A random vector on {@code k} random groups with L2 norm {@code length}. */
  private static float[] randomAtom(Random random, int n, int groups, int k, double length) {
    boolean[] on = new boolean[groups];
    for (int chosen = 0; chosen < k; ) {
      int j = random.nextInt(groups);
      if (!on[j]) {
        on[j] = true;
        chosen++;
      }
    }
    float[] x = gaussian(random, n);
    double squares = 0;
    for (int i = 0; i < n; i++) {
      x[i] = on[i % groups] ? x[i] : 0;
      squares += (double) x[i] * x[i];
    }
    double scale = length / Math.sqrt(squares);
    for (int i = 0; i < n; i++) {
      x[i] = (float) (x[i] * scale);
    }
    return x;
  }

  static Stream<Arguments> graphCases() {
    return Stream.of(
        Arguments.of(GroupKSupportNormBall.ofCount(3), new long[] {7}),
        Arguments.of(GroupKSupportNormBall.ofFraction(0.25), new long[] {6, 8}),
        Arguments.of(GroupKSupportNormBall.ofFraction(0.25), new long[] {3, 3, 2, 12}),
        Arguments.of(GroupKSupportNormBall.ofFraction(1.0), new long[] {2, 3, 2, 2}));
  }

  @ParameterizedTest(name = "{0} shape={1}")
  @MethodSource("graphCases")
  void lmo_graph_matchesJava(GroupKSupportNormBall ball, long[] shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int groups = (int) shape[shape.length - 1];
    float[] g = gaussian(new Random(n), n);
    float[] graph = GraphTesting.runOne(
        tf -> ball.lmo(tf, constant(tf, g, shape), tf.constant((float) RADIUS)));
    assertClose(ball.lmo(g, groups, RADIUS), graph, GRAPH_TOLERANCE);
  }

  @Test
  void lmo_coupledGraph_ranksGroupsOverAllTensors() {
    // Two tensors whose last axes hold the same 4 groups are one vector for the ball: the Java
    // LMO of their concatenation (groups by index mod 4) split back is the answer.
    float[] a = gaussian(new Random(1), 3 * 3 * 2 * 4);
    float[] b = gaussian(new Random(2), 5 * 4);
    GroupKSupportNormBall ball = GroupKSupportNormBall.ofCount(2);
    List<float[]> graph = GraphTesting.run(tf -> ball.lmo(tf,
        List.of(constant(tf, a, 3, 3, 2, 4), constant(tf, b, 5, 4)),
        tf.constant((float) RADIUS)));
    float[] joint = ball.lmo(concat(a, b), 4, RADIUS);
    assertClose(Arrays.copyOfRange(joint, 0, a.length), graph.get(0), GRAPH_TOLERANCE);
    assertClose(Arrays.copyOfRange(joint, a.length, joint.length), graph.get(1),
        GRAPH_TOLERANCE);
  }

  @Test
  void lmo_coupledGraph_differentGroupCounts_isRefused() {
    Refusals.assertRejected(() -> GraphTesting.run(tf -> GroupKSupportNormBall.ofCount(1).lmo(tf,
        List.of(constant(tf, new float[8], 2, 4), constant(tf, new float[6], 2, 3)),
        tf.constant(1f))), "share the last dimension (the groups): [2, 4] and [2, 3]");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void lmo_graphZeroGradient_givesZeroNotNan() {
    float[] graph = GraphTesting.runOne(tf -> GroupKSupportNormBall.ofCount(2)
        .lmo(tf, constant(tf, new float[6], 2, 3), tf.constant(1f)));
    // -r * 0 is -0.0 in the graph; with delta 0 it counts as 0, while NaN would not.
    assertArrayEquals(new float[6], graph, 0f);
  }

  @Test
  void norm_kEqualsOne_isTheSumOfGroupNorms() {
    // Columns (3, 4) and (0, 1): group norms 5 and 1.
    assertEquals(6.0, GroupKSupportNormBall.ofCount(1).norm(new float[] {3, 0, 4, 1}, 2), 1e-6);
  }

  @Test
  void norm_allGroups_isTheL2Norm() {
    assertEquals(Math.sqrt(26), GroupKSupportNormBall.ofCount(2).norm(new float[] {3, 0, 4, 1}, 2),
        1e-6);
  }

  @Test
  void contains_nan_isFalse() {
    assertFalse(GroupKSupportNormBall.ofCount(1).contains(new float[] {0, Float.NaN}, 2, 1, 0));
  }

  @Test
  void k_fraction_countsGroups() {
    GroupKSupportNormBall ball = GroupKSupportNormBall.ofFraction(0.25);
    // The paper CNN's layers: 32 and 64 filters, 10 classes; 3 groups floor to 0, raised to 1.
    assertEquals(8, ball.k(32));
    assertEquals(16, ball.k(64));
    assertEquals(2, ball.k(10));
    assertEquals(1, ball.k(3));
  }

  @Test
  void radiusFromInit_isTauTimesTheInitialNorm() {
    // L2 diameter 2r, as the reference code's l2_diameter / 2.
    assertEquals(15 * 2.5, GroupKSupportNormBall.ofFraction(0.25).radiusFromInit(15, 2.5, 288),
        1e-12);
  }

  @Test
  void equalsAndToString_followHowKWasGiven() {
    assertEquals(GroupKSupportNormBall.ofFraction(0.25), GroupKSupportNormBall.ofFraction(0.25));
    assertFalse(GroupKSupportNormBall.ofCount(2).equals(KSupportNormBall.ofCount(2)));
    assertEquals("GroupKSupportNormBall{fraction=0.25}",
        GroupKSupportNormBall.ofFraction(0.25).toString());
    assertEquals("GroupKSupportNormBall{count=2}", GroupKSupportNormBall.ofCount(2).toString());
  }

  static Stream<Arguments> badArguments() {
    GroupKSupportNormBall ball = GroupKSupportNormBall.ofCount(1);
    float[] g = {1, 2, 3, 4};
    return Stream.of(
        bad("ofCount(0)", () -> GroupKSupportNormBall.ofCount(0), "count must be >= 1, got 0"),
        bad("ofFraction(0)", () -> GroupKSupportNormBall.ofFraction(0),
            "fraction must be in (0, 1], got 0.0"),
        bad("k(0)", () -> ball.k(0), "n must be >= 1, got 0"),
        bad("groups not dividing", () -> ball.lmo(g, 3, 1),
            "groups must be >= 1 and divide the 4 entries (the size of the last axis), got 3"),
        bad("groups 0", () -> ball.norm(g, 0),
            "groups must be >= 1 and divide the 4 entries (the size of the last axis), got 0"),
        bad("radius -1", () -> ball.lmo(g, 2, -1), "radius must be in [0, +inf), got -1.0"),
        bad("NaN gradient", () -> ball.lmo(new float[] {1, Float.NaN}, 1, 1),
            "gradient must not contain NaN, found NaN at index 1"),
        bad("empty gradient", () -> ball.lmo(new float[0], 1),
            "gradient must have at least one entry, found none"),
        bad("contains tolerance -1", () -> ball.contains(g, 2, 1, -1),
            "tolerance must be in [0, +inf), got -1.0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(String name, Executable call, String message) {
    Refusals.assertRejected(call, message);
  }

  private static Arguments bad(String name, Executable call, String message) {
    return Arguments.of(name, call, message);
  }
}
