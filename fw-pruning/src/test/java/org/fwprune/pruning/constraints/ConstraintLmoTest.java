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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The LMOs of {@link L1Ball} and {@link KSparsePolytope}: optimality against brute force over all
 * vertices, agreement of the graph ops with Java, feasibility of FW iterates, diameters.
 */
class ConstraintLmoTest {

  /** Tolerance for objective values summed in double over at most 50 float entries. */
  private static final double OBJECTIVE_TOLERANCE = 1e-9;

  private static final double RADIUS = 0.7;

  static Stream<Constraint> constraints() {
    return Stream.of(
        L1Ball.create(),
        KSparsePolytope.ofCount(1),
        KSparsePolytope.ofCount(3),
        KSparsePolytope.ofFraction(0.2),
        KSparsePolytope.ofFraction(1.0));
  }

  /** Every (n, K) with 1 <= K <= n <= 6, each with three gradient seeds. */
  static Stream<Arguments> kSparseCases() {
    return IntStream.rangeClosed(1, 6)
        .boxed()
        .flatMap(n -> IntStream.rangeClosed(1, n).mapToObj(k -> new int[] {n, k}))
        .flatMap(nk -> IntStream.of(11, 22, 33).mapToObj(seed -> Arguments.of(nk[0], nk[1], seed)));
  }

  static Stream<Arguments> l1Cases() {
    return IntStream.rangeClosed(1, 6)
        .boxed()
        .flatMap(n -> IntStream.of(11, 22, 33).mapToObj(seed -> Arguments.of(n, seed)));
  }

  @ParameterizedTest(name = "n={0} K={1} seed={2}")
  @MethodSource("kSparseCases")
  void lmo_kSparse_matchesBruteForceOverVertices(int n, int k, int seed) {
    float[] g = gaussian(new Random(seed), n);
    float[] v = KSparsePolytope.ofCount(k).lmo(g, RADIUS);
    assertArrayEquals(bestVertex(kSparseVertices(n, k, RADIUS), g), v);
  }

  @ParameterizedTest(name = "n={0} seed={1}")
  @MethodSource("l1Cases")
  void lmo_l1Ball_matchesBruteForceOverVertices(int n, int seed) {
    float[] g = gaussian(new Random(seed), n);
    float[] v = L1Ball.create().lmo(g, RADIUS);
    assertArrayEquals(bestVertex(l1Vertices(n, RADIUS), g), v);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void lmo_isNoWorseThanRandomFeasiblePoints(Constraint constraint) {
    Random random = new Random(5);
    int n = 20;
    for (int trial = 0; trial < 200; trial++) {
      float[] g = gaussian(random, n);
      float[] x = randomFeasiblePoint(constraint, n, random);
      assertTrue(constraint.contains(x, RADIUS, 1e-5), "test point must be feasible");
      assertTrue(dot(g, constraint.lmo(g, RADIUS)) <= dot(g, x) + OBJECTIVE_TOLERANCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void lmo_outputIsFeasible(Constraint constraint) {
    float[] g = gaussian(new Random(8), 30);
    assertTrue(constraint.contains(constraint.lmo(g, RADIUS), RADIUS, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void lmo_zeroGradient_givesZeroVector(Constraint constraint) {
    assertArrayEquals(new float[5], constraint.lmo(new float[5], RADIUS));
  }

  @Test
  void lmo_l1Ball_tiePicksLowestIndex() {
    // |g| = 3 at indices 1 and 2: index 1 wins; sign(g_1) = -1, so v_1 = +r.
    float[] v = L1Ball.create().lmo(new float[] {1, -3, 3, 2, -3}, 2.0);
    assertArrayEquals(new float[] {0, 2, 0, 0, 0}, v);
  }

  @Test
  void lmo_kSparse_tiesPickLowestIndices() {
    // |g| = 3 at 1, 2, 4; K = 2 takes 1 and 2.
    float[] v = KSparsePolytope.ofCount(2).lmo(new float[] {1, -3, 3, 2, -3}, 2.0);
    assertArrayEquals(new float[] {0, 2, -2, 0, 0}, v);
  }

  @Test
  void lmo_kSparse_zeroGradientEntryInSupport_givesZero() {
    // K = 3 but only two non-zero entries: sign(0) = 0 leaves the third chosen entry at 0.
    float[] v = KSparsePolytope.ofCount(3).lmo(new float[] {0, 5, 0, -1}, 1.0);
    assertArrayEquals(new float[] {0, -1, 0, 1}, v);
  }

  static Stream<Arguments> graphCases() {
    List<long[]> shapes =
        List.of(
            new long[] {7}, new long[] {3, 4}, new long[] {5, 5, 1, 4}, new long[] {2, 3, 2, 2});
    List<Arguments> cases = new ArrayList<>();
    constraints().forEach(c -> shapes.forEach(s -> cases.add(Arguments.of(c, s))));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} shape={1}")
  @MethodSource("graphCases")
  void lmo_graph_matchesJava(Constraint constraint, long[] shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    // Gaussian entries: distinct magnitudes, so the minimizer is unique whatever the tie rule.
    float[] g = gaussian(new Random(n), n);
    float[] graph =
        GraphTesting.runOne(
            tf -> constraint.lmo(tf, constant(tf, g, shape), tf.constant((float) RADIUS)));
    assertClose(constraint.lmo(g, RADIUS), graph, GRAPH_TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void lmo_graph_keepsGradientShape(Constraint constraint) {
    long[] shape = {2, 3, 4};
    float[] g = gaussian(new Random(3), 24);
    GraphTesting.run(
        tf -> {
          Operand<TFloat32> v = constraint.lmo(tf, constant(tf, g, shape), tf.constant(1f));
          assertArrayEquals(shape, v.shape().asArray());
          return List.of(v);
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void lmo_graphWithTies_matchesJavaOnCpu(Constraint constraint) {
    // TopKV2 documents "the lower-index element appears first"; its CPU kernel agrees with Java.
    float[] g = {1, -3, 3, 2, -3, 0, 3, -1, 2, 0};
    float[] graph =
        GraphTesting.runOne(tf -> constraint.lmo(tf, constant(tf, g, 2, 5), tf.constant(1.5f)));
    assertClose(constraint.lmo(g, 1.5), graph, GRAPH_TOLERANCE);
  }

  @Test
  void lmo_graphInEagerMode_matchesJava() {
    float[] g = gaussian(new Random(4), 12);
    KSparsePolytope constraint = KSparsePolytope.ofCount(4);
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      Operand<TFloat32> v = constraint.lmo(tf, constant(tf, g, 3, 4), tf.constant(0.5f));
      // In eager mode the tensor belongs to the session, which closes it.
      assertClose(constraint.lmo(g, 0.5), GraphTesting.toArray(v.asTensor()), GRAPH_TOLERANCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void fwIterates_stayInsideSet(Constraint constraint) {
    Random random = new Random(17);
    int n = 50;
    // Float rounding of the convex combination: 1e-5 of r n, which bounds every norm bound r K.
    double tolerance = 1e-5 * RADIUS * n;
    float[] theta = constraint.lmo(gaussian(random, n), RADIUS);
    for (int step = 0; step < 100; step++) {
      float[] v = constraint.lmo(gaussian(random, n), RADIUS);
      double eta = step % 10 == 0 ? 1.0 : random.nextDouble();
      for (int i = 0; i < n; i++) {
        theta[i] = (float) ((1 - eta) * theta[i] + eta * v[i]);
      }
      assertTrue(constraint.contains(theta, RADIUS, tolerance), "step " + step);
    }
  }

  @ParameterizedTest(name = "n={0} K={1}")
  @MethodSource("smallNk")
  void diameter_kSparse_equalsFarthestVertexPair(int n, int k) {
    KSparsePolytope constraint = KSparsePolytope.ofCount(k);
    assertEquals(
        maxPairDistance(kSparseVertices(n, k, RADIUS)), constraint.diameter(RADIUS, n), 1e-6);
  }

  static Stream<Arguments> smallNk() {
    return kSparseCases()
        .filter(a -> (int) a.get()[2] == 11)
        .map(a -> Arguments.of(a.get()[0], a.get()[1]));
  }

  @Test
  void diameter_l1Ball_equalsFarthestVertexPair() {
    assertEquals(maxPairDistance(l1Vertices(4, RADIUS)), L1Ball.create().diameter(RADIUS, 4), 1e-6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void radiusForDiameter_invertsDiameter(Constraint constraint) {
    assertEquals(0.37, constraint.radiusForDiameter(constraint.diameter(0.37, 40), 40), 1e-12);
  }

  @Test
  void radiusFromInit_kSparse_isTauNormOverSqrtK() {
    // n = 100, fraction 0.1: K = 10; r = tau E / sqrt(K) = 20 * 2 / sqrt(10) (docs/algorithms.md).
    double r = KSparsePolytope.ofFraction(0.1).radiusFromInit(20, 2, 100);
    assertEquals(40 / Math.sqrt(10), r, 1e-12);
  }

  @Test
  void radiusFromInit_l1Ball_isTauNorm() {
    // D = 2 tau E and D = 2 r for the L1 ball, so r = tau E = 20 * 2.
    assertEquals(40.0, L1Ball.create().radiusFromInit(20, 2, 100), 1e-12);
  }

  @Test
  void radiusFromInit_kSparse_diameterIsTwoTauNorm() {
    KSparsePolytope constraint = KSparsePolytope.ofFraction(0.1);
    double r = constraint.radiusFromInit(20, 2, 1000);
    assertEquals(2 * 20 * 2, constraint.diameter(r, 1000), 1e-9);
  }

  @Test
  void contains_kSparse_rejectsPointOutsideInfinityBall() {
    // ||x||_1 = 1.2 <= r K = 2, but ||x||_inf = 1.2 > r = 1.
    assertFalse(KSparsePolytope.ofCount(2).contains(new float[] {1.2f, 0, 0}, 1.0, 1e-6));
  }

  @Test
  void contains_kSparse_rejectsPointOutsideL1Ball() {
    // ||x||_inf = 1 <= r, but ||x||_1 = 3 > r K = 2.
    assertFalse(KSparsePolytope.ofCount(2).contains(new float[] {1, 1, 1}, 1.0, 1e-6));
  }

  @Test
  void contains_l1Ball_acceptsBoundaryWithinTolerance() {
    assertTrue(L1Ball.create().contains(new float[] {0.5f, -0.5f}, 1.0, 0));
    assertFalse(L1Ball.create().contains(new float[] {0.5f, -0.51f}, 1.0, 0.001));
    assertTrue(L1Ball.create().contains(new float[] {0.5f, -0.51f}, 1.0, 0.02));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void contains_nan_isFalse(Constraint constraint) {
    assertFalse(constraint.contains(new float[] {0, Float.NaN, 0, 0, 0}, 1.0, 1.0));
  }

  // Brute force over the vertex sets: the LMO of a polytope is attained at a vertex.

  private static float[] bestVertex(List<float[]> vertices, float[] g) {
    float[] best = null;
    double bestValue = Double.POSITIVE_INFINITY;
    for (float[] v : vertices) {
      double value = dot(g, v);
      if (value < bestValue) {
        bestValue = value;
        best = v;
      }
    }
    // Gaussian gradients: the minimizer is unique, so no value is within rounding of the best.
    for (float[] v : vertices) {
      double value = dot(g, v);
      assertTrue(v == best || value > bestValue + 1e-9, "minimizer must be unique");
    }
    return best;
  }

  private static List<float[]> l1Vertices(int n, double r) {
    List<float[]> vertices = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int sign : new int[] {1, -1}) {
        float[] v = new float[n];
        v[i] = (float) (sign * r);
        vertices.add(v);
      }
    }
    return vertices;
  }

  /** All C(n, K) 2^K vectors with K entries +-r and the rest 0. */
  private static List<float[]> kSparseVertices(int n, int k, double r) {
    List<float[]> vertices = new ArrayList<>();
    for (int support = 0; support < (1 << n); support++) {
      if (Integer.bitCount(support) != k) {
        continue;
      }
      for (int signs = 0; signs < (1 << k); signs++) {
        float[] v = new float[n];
        int j = 0;
        for (int i = 0; i < n; i++) {
          if ((support & (1 << i)) != 0) {
            v[i] = (float) (((signs >> j) & 1) == 0 ? r : -r);
            j++;
          }
        }
        vertices.add(v);
      }
    }
    return vertices;
  }

  private static double maxPairDistance(List<float[]> vertices) {
    double best = 0;
    for (float[] a : vertices) {
      for (float[] b : vertices) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
          sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        best = Math.max(best, Math.sqrt(sum));
      }
    }
    return best;
  }

  /** A random convex combination of five random vertices of the set. */
  private static float[] randomFeasiblePoint(Constraint constraint, int n, Random random) {
    double[] weights = random.doubles(5).toArray();
    double total = Arrays.stream(weights).sum();
    float[] x = new float[n];
    for (double w : weights) {
      // The LMO of a random direction is a random vertex.
      float[] vertex = constraint.lmo(gaussian(random, n), RADIUS);
      for (int i = 0; i < n; i++) {
        x[i] += (float) (w / total * vertex[i]);
      }
    }
    return x;
  }
}
