package org.fwprune.pruning.constraints.internal;

import static org.fwprune.core.testing.Refusals.bad;
import static org.fwprune.pruning.constraints.GraphTesting.constant;
import static org.fwprune.pruning.constraints.GraphTesting.gaussian;
import static org.fwprune.pruning.constraints.GraphTesting.toArray;
import static org.fwprune.pruning.constraints.GraphTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fwprune.core.testing.Refusals;
import org.fwprune.pruning.constraints.GraphTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** Exact zero counts of global and per-tensor magnitude masks, in Java and as graph ops. */
class MagnitudeThresholdTest {

  /** Kernel shapes of a small CNN: conv 5x5x1x4, conv 3x3x4x2, dense 18x10 (N = 352). */
  private static final List<long[]> SHAPES =
      List.of(new long[] {5, 5, 1, 4}, new long[] {3, 3, 4, 2}, new long[] {18, 10});

  private static final int TOTAL = 100 + 72 + 180;

  @ParameterizedTest(name = "s={0} n={1} -> {2}")
  @CsvSource({
    "0.9, 34720, 31248",
    // s n = 2.5 and 0.5: round half up.
    "0.5, 5, 3",
    "0.25, 2, 1",
    "0.0, 10, 0",
    "1.0, 10, 10",
    "0.33, 10, 3",
  })
  void zeroCount_roundsHalfUp(double sparsity, long n, long expected) {
    assertEquals(expected, MagnitudeThreshold.zeroCount(sparsity, n));
  }

  @ParameterizedTest(name = "s={0}")
  @ValueSource(doubles = {0.0, 0.1, 0.5, 0.9, 0.987, 1.0})
  void globalMasks_zeroCountIsExact(double sparsity) {
    List<float[]> masks = MagnitudeThreshold.globalMasks(randomWeights(1), sparsity);
    int zeros = masks.stream().mapToInt(GraphTesting::zeros).sum();
    assertEquals(MagnitudeThreshold.zeroCount(sparsity, TOTAL), zeros);
  }

  @ParameterizedTest(name = "s={0}")
  @ValueSource(doubles = {0.1, 0.5, 0.9})
  void globalMasks_withTies_zeroCountIsExact(double sparsity) {
    List<float[]> masks = MagnitudeThreshold.globalMasks(tiedWeights(2), sparsity);
    int zeros = masks.stream().mapToInt(GraphTesting::zeros).sum();
    assertEquals(MagnitudeThreshold.zeroCount(sparsity, TOTAL), zeros);
  }

  @Test
  void globalMasks_allTied_zeroesHigherIndicesFirst() {
    // N = 7, s = 0.5: k = floor(3.5 + 0.5) = 4 zeros; all |w| = 1, so global indices 6, 5, 4, 3
    // are zeroed: the whole second tensor.
    List<float[]> weights = List.of(new float[] {1, -1, 1}, new float[] {-1, 1, 1, -1});
    List<float[]> masks = MagnitudeThreshold.globalMasks(weights, 0.5);
    assertArrayEquals(new float[] {1, 1, 1}, masks.get(0));
    assertArrayEquals(new float[] {0, 0, 0, 0}, masks.get(1));
  }

  @Test
  void globalMasks_keepsEveryLargerMagnitude() {
    List<float[]> weights = randomWeights(3);
    List<float[]> masks = MagnitudeThreshold.globalMasks(weights, 0.7);
    float smallestKept = Float.POSITIVE_INFINITY;
    float largestZeroed = 0;
    for (int t = 0; t < weights.size(); t++) {
      for (int i = 0; i < weights.get(t).length; i++) {
        float a = Math.abs(weights.get(t)[i]);
        if (masks.get(t)[i] == 1f) {
          smallestKept = Math.min(smallestKept, a);
        } else {
          largestZeroed = Math.max(largestZeroed, a);
        }
      }
    }
    assertTrue(largestZeroed <= smallestKept);
  }

  @Test
  void globalMasks_masksAreZeroOrOne() {
    for (float[] mask : MagnitudeThreshold.globalMasks(randomWeights(4), 0.6)) {
      for (float m : mask) {
        assertTrue(m == 0f || m == 1f);
      }
    }
  }

  @ParameterizedTest(name = "s={0}")
  @ValueSource(doubles = {0.0, 0.3, 0.5, 0.9, 1.0})
  void perTensorMasks_withTies_zeroCountIsExactPerTensor(double sparsity) {
    List<float[]> weights = tiedWeights(5);
    List<float[]> masks = MagnitudeThreshold.perTensorMasks(weights, sparsity);
    for (int t = 0; t < weights.size(); t++) {
      assertEquals(
          MagnitudeThreshold.zeroCount(sparsity, weights.get(t).length), zeros(masks.get(t)));
    }
  }

  /** The two thresholds, each with its graph and its plain-Java form. */
  enum Threshold {
    GLOBAL, PER_TENSOR;

    List<float[]> java(List<float[]> weights, double sparsity) {
      return this == GLOBAL ? MagnitudeThreshold.globalMasks(weights, sparsity)
          : MagnitudeThreshold.perTensorMasks(weights, sparsity);
    }

    List<float[]> graph(List<float[]> weights, double sparsity) {
      return GraphTesting.run(tf -> this == GLOBAL
          ? MagnitudeThreshold.globalMasks(tf, constants(tf, weights), tf.constant(sparsity))
          : MagnitudeThreshold.perTensorMasks(tf, constants(tf, weights), tf.constant(sparsity)));
    }
  }

  @ParameterizedTest(name = "{0} s={1}")
  @CsvSource({"GLOBAL, 0.0", "GLOBAL, 0.25", "GLOBAL, 0.5", "GLOBAL, 0.9", "GLOBAL, 1.0",
      "PER_TENSOR, 0.0", "PER_TENSOR, 0.25", "PER_TENSOR, 0.5", "PER_TENSOR, 0.9",
      "PER_TENSOR, 1.0"})
  void graphMasks_matchJavaWithTies(Threshold threshold, double sparsity) {
    List<float[]> weights = tiedWeights(threshold == Threshold.GLOBAL ? 6 : 7);
    assertMasksEqual(threshold.java(weights, sparsity), threshold.graph(weights, sparsity));
  }

  @ParameterizedTest(name = "zeros={0}")
  @ValueSource(ints = {0, 100, 300, 310})
  void globalMasksWithFloors_keepEveryFloorAndTheExactZeroCount(int zeros) {
    // Floors of 25%, 10% and 5% of 100, 72 and 180 weights: 25 + 8 + 9 = 42 <= 352 - 310.
    int[] floors = {25, 8, 9};
    List<float[]> weights = randomWeights(11);
    List<float[]> masks = GraphTesting.run(tf -> MagnitudeThreshold.globalMasksByZeroCount(tf,
        constants(tf, weights), tf.constant(zeros), floors));
    int zeroSum = 0;
    for (int t = 0; t < masks.size(); t++) {
      int kept = masks.get(t).length - zeros(masks.get(t));
      assertTrue(kept >= floors[t], "tensor " + t + " keeps " + kept + " < " + floors[t]);
      zeroSum += zeros(masks.get(t));
    }
    assertEquals(zeros, zeroSum);
  }

  @Test
  void globalMasksWithFloors_keepEachTensorsLargestAndTheGlobalLargestOfTheRest() {
    // Water-filling: with 320 zeros only 32 weights survive; the global threshold alone would
    // give them to the tensors with the largest magnitudes, the floors reserve 5 per tensor.
    int[] floors = {5, 5, 5};
    List<float[]> weights = randomWeights(12);
    List<float[]> masks = GraphTesting.run(tf -> MagnitudeThreshold.globalMasksByZeroCount(tf,
        constants(tf, weights), tf.constant(320), floors));
    List<float[]> floorMasks = new ArrayList<>();
    List<float[]> rest = new ArrayList<>();
    for (int t = 0; t < weights.size(); t++) {
      float[] floorMask = MagnitudeThreshold.perTensorMasks(List.of(weights.get(t)),
          1 - 5.0 / weights.get(t).length).get(0);
      floorMasks.add(floorMask);
      float[] remaining = weights.get(t).clone();
      for (int i = 0; i < remaining.length; i++) {
        remaining[i] = floorMask[i] == 1f ? 0f : remaining[i];
      }
      rest.add(remaining);
    }
    // The 17 other kept weights are the largest of what the floors left, over all tensors.
    List<float[]> restMasks = MagnitudeThreshold.globalMasksByZeroCount(rest, TOTAL - 17);
    for (int t = 0; t < weights.size(); t++) {
      for (int i = 0; i < weights.get(t).length; i++) {
        float expected = Math.max(floorMasks.get(t)[i], restMasks.get(t)[i]);
        assertEquals(expected, masks.get(t)[i], "tensor " + t + " entry " + i);
      }
    }
  }

  @Test
  void globalMasksWithZeroFloors_equalThePlainGlobalMasks() {
    List<float[]> weights = tiedWeights(13);
    List<float[]> floored = GraphTesting.run(tf -> MagnitudeThreshold.globalMasksByZeroCount(tf,
        constants(tf, weights), tf.constant(200), new int[] {0, 0, 0}));
    assertMasksEqual(MagnitudeThreshold.globalMasksByZeroCount(weights, 200), floored);
  }

  @Test
  void globalMasks_graph_singleTensor_matchesJava() {
    List<float[]> weights = List.of(tiedWeights(8).get(0));
    List<float[]> graph =
        GraphTesting.run(
            tf ->
                MagnitudeThreshold.globalMasks(
                    tf, List.of(constant(tf, weights.get(0), SHAPES.get(0))), tf.constant(0.6)));
    assertMasksEqual(MagnitudeThreshold.globalMasks(weights, 0.6), graph);
  }

  @Test
  void globalMasksByZeroCount_graph_oneGraphServesEveryCount() {
    List<float[]> weights = tiedWeights(9);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt32> zeros = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      List<Operand<TFloat32>> masks =
          MagnitudeThreshold.globalMasksByZeroCount(tf, constants(tf, weights), zeros);
      try (Session session = new Session(graph)) {
        for (int k : new int[] {0, 1, 100, 176, 351, TOTAL}) {
          assertMasksEqual(
              MagnitudeThreshold.globalMasksByZeroCount(weights, k), run(session, masks, zeros, k));
        }
      }
    }
  }

  @Test
  void globalMasks_graph_fedSparsity_roundsLikeJava() {
    // One graph, the sparsity fed each step; floor(s N + 0.5) in float64 must agree with Java
    // everywhere, in particular where s N is (close to) a half-integer.
    List<float[]> weights = randomWeights(10);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat64> sparsity =
          tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      List<Operand<TFloat32>> masks =
          MagnitudeThreshold.globalMasks(tf, constants(tf, weights), sparsity);
      try (Session session = new Session(graph)) {
        for (int i = 0; i <= 2 * TOTAL; i++) {
          // s N = i / 2: every half-integer, where rounding could differ.
          double s = i / (2.0 * TOTAL);
          List<float[]> graphMasks;
          try (TFloat64 feed = TFloat64.scalarOf(s);
              Result result = fetch(session, masks).feed(sparsity, feed).run()) {
            graphMasks = arrays(result, masks.size());
          }
          int zeros = graphMasks.stream().mapToInt(GraphTesting::zeros).sum();
          assertEquals(MagnitudeThreshold.zeroCount(s, TOTAL), zeros, "s = " + s);
        }
      }
    }
  }

  @ParameterizedTest(name = "zeros={0}")
  @ValueSource(ints = {-1, TOTAL + 1})
  void globalMasksByZeroCount_graph_countOutOfRange_failsAtRunTime(int k) {
    List<float[]> weights = randomWeights(11);
    // TFInvalidArgumentException extends IllegalArgumentException in TF Java 1.1.0.
    assertThrows(
        TFInvalidArgumentException.class,
        () ->
            GraphTesting.run(
                tf ->
                    MagnitudeThreshold.globalMasksByZeroCount(
                        tf, constants(tf, weights), tf.constant(k))));
  }

  @ParameterizedTest(name = "s={0}")
  @ValueSource(doubles = {-0.1, 1.5})
  void globalMasks_graph_sparsityOutOfRange_failsAtRunTime(double sparsity) {
    List<float[]> weights = randomWeights(12);
    assertThrows(
        TFInvalidArgumentException.class,
        () ->
            GraphTesting.run(
                tf ->
                    MagnitudeThreshold.globalMasks(
                        tf, constants(tf, weights), tf.constant(sparsity))));
  }

  static Stream<Arguments> badArguments() {
    List<float[]> ok = List.of(new float[] {1, 2, 3});
    return Stream.of(
        bad(() -> MagnitudeThreshold.zeroCount(-0.1, 10), "sparsity must be in [0, 1], got -0.1"),
        bad(() -> MagnitudeThreshold.zeroCount(1.1, 10), "sparsity must be in [0, 1], got 1.1"),
        bad(() -> MagnitudeThreshold.zeroCount(Double.NaN, 10), "sparsity must be in [0, 1]"),
        bad(() -> MagnitudeThreshold.zeroCount(0.5, -1), "n must be >= 0, got -1"),
        bad(() -> MagnitudeThreshold.globalMasks(ok, 1.5), "sparsity must be in [0, 1]"),
        bad(() -> MagnitudeThreshold.perTensorMasks(ok, -1), "sparsity must be in [0, 1]"),
        bad(
            () -> MagnitudeThreshold.globalMasks(List.of(), 0.5),
            "weights must hold at least one tensor"),
        bad(
            () -> MagnitudeThreshold.globalMasks(List.of(new float[] {1}, new float[0]), 0.5),
            "weights[1] must have at least one entry"),
        bad(
            () -> MagnitudeThreshold.globalMasks(List.of(new float[] {1, Float.NaN}), 0.5),
            "weights[0] must not contain NaN, found NaN at index 1"),
        bad(
            () ->
                MagnitudeThreshold.perTensorMasks(
                    List.of(new float[] {1}, new float[] {Float.NaN}), 0.5),
            "weights[1] must not contain NaN, found NaN at index 0"),
        bad(
            () -> MagnitudeThreshold.globalMasksByZeroCount(ok, 4),
            "zeros must be in [0, 3] (the total number of entries), got 4"),
        bad(() -> MagnitudeThreshold.globalMasksByZeroCount(ok, -1), "zeros must be in [0, 3]"),
        bad(
            () ->
                GraphTesting.run(
                    tf -> MagnitudeThreshold.globalMasks(tf, List.of(), tf.constant(0.5))),
            "weights must hold at least one tensor"),
        bad(
            () ->
                GraphTesting.run(
                    tf ->
                        MagnitudeThreshold.perTensorMasks(
                            tf, List.of(tf.placeholder(TFloat32.class)), tf.constant(0.5))),
            "weights[0] must have a fully known static shape"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(Executable call, String message) {
    Refusals.assertRejected(call, message);
  }

  /** Gaussian weights in {@link #SHAPES}: distinct magnitudes. */
  private static List<float[]> randomWeights(long seed) {
    Random random = new Random(seed);
    List<float[]> weights = new ArrayList<>();
    for (long[] shape : SHAPES) {
      weights.add(gaussian(random, (int) Shape.of(shape).size()));
    }
    return weights;
  }

  /** Weights in {@link #SHAPES} drawn from {-1, -0.5, 0, 0.5, 1}: many ties at every threshold. */
  private static List<float[]> tiedWeights(long seed) {
    Random random = new Random(seed);
    List<float[]> weights = new ArrayList<>();
    for (long[] shape : SHAPES) {
      float[] w = new float[(int) Shape.of(shape).size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = (random.nextInt(5) - 2) * 0.5f;
      }
      weights.add(w);
    }
    return weights;
  }

  private static List<Operand<TFloat32>> constants(Ops tf, List<float[]> weights) {
    List<Operand<TFloat32>> operands = new ArrayList<>();
    for (int t = 0; t < weights.size(); t++) {
      operands.add(constant(tf, weights.get(t), SHAPES.get(t)));
    }
    return operands;
  }

  private static Session.Runner fetch(Session session, List<Operand<TFloat32>> fetches) {
    Session.Runner runner = session.runner();
    fetches.forEach(runner::fetch);
    return runner;
  }

  private static List<float[]> run(
      Session session, List<Operand<TFloat32>> masks, Placeholder<TInt32> zeros, int k) {
    try (TInt32 feed = TInt32.scalarOf(k);
        Result result = fetch(session, masks).feed(zeros, feed).run()) {
      return arrays(result, masks.size());
    }
  }

  private static List<float[]> arrays(Result result, int count) {
    List<float[]> arrays = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      arrays.add(toArray((TFloat32) result.get(i)));
    }
    return arrays;
  }

  /** 0/1 masks compare exactly. */
  private static void assertMasksEqual(List<float[]> expected, List<float[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int t = 0; t < expected.size(); t++) {
      assertArrayEquals(expected.get(t), actual.get(t), "tensor " + t);
    }
  }
}
