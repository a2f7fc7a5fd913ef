package org.fwprune.pruning.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.fwprune.core.testing.Refusals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Factories, K resolution, value semantics and argument checks of the constraints. */
class ConstraintArgumentsTest {

  private static final L1Ball L1 = L1Ball.create();
  private static final KSparsePolytope K2 = KSparsePolytope.ofCount(2);

  @ParameterizedTest(name = "fraction {0} of n={1} gives K={2}")
  @CsvSource({
    "0.1, 100, 10",
    // 0.29 * 100 = 28.999999999999996 in double; the 1e-9 allowance gives 29.
    "0.29, 100, 29",
    "0.1, 34720, 3472",
    "0.5, 7, 3",
    "1.0, 7, 7",
    // f n < 1: at least one entry.
    "0.001, 100, 1",
  })
  void k_fraction_floorsAndIsAtLeastOne(double fraction, int n, int expected) {
    assertEquals(expected, KSparsePolytope.ofFraction(fraction).k(n));
  }

  @ParameterizedTest(name = "count {0} with n={1} gives K={2}")
  @CsvSource({"3, 10, 3", "10, 10, 10", "25, 10, 10", "1, 1, 1"})
  void k_count_isClampedToN(int count, int n, int expected) {
    assertEquals(expected, KSparsePolytope.ofCount(count).k(n));
  }

  @Test
  void equals_sameSpecification_isEqual() {
    assertEquals(KSparsePolytope.ofCount(3), KSparsePolytope.ofCount(3));
    assertEquals(KSparsePolytope.ofFraction(0.1), KSparsePolytope.ofFraction(0.1));
    assertNotEquals(KSparsePolytope.ofCount(1), KSparsePolytope.ofFraction(1.0));
    assertEquals(L1Ball.create(), L1Ball.create());
  }

  @Test
  void toString_namesHyperParameters() {
    assertEquals("KSparsePolytope{count=3}", KSparsePolytope.ofCount(3).toString());
    assertEquals("KSparsePolytope{fraction=0.1}", KSparsePolytope.ofFraction(0.1).toString());
    assertEquals("L1Ball", L1Ball.create().toString());
  }

  @Test
  void accessors_reportHowKWasGiven() {
    assertEquals(3, KSparsePolytope.ofCount(3).count().getAsInt());
    assertTrue(KSparsePolytope.ofCount(3).fraction().isEmpty());
    assertEquals(0.1, KSparsePolytope.ofFraction(0.1).fraction().getAsDouble());
    assertTrue(KSparsePolytope.ofFraction(0.1).count().isEmpty());
  }

  static Stream<Arguments> badArguments() {
    float[] g = {1, 2, 3};
    return Stream.of(
        bad("ofCount(0)", () -> KSparsePolytope.ofCount(0), "count must be >= 1, got 0"),
        bad("ofFraction(0)", () -> KSparsePolytope.ofFraction(0), "fraction must be in (0, 1]"),
        bad("ofFraction(1.5)", () -> KSparsePolytope.ofFraction(1.5), "fraction must be in (0, 1]"),
        bad("ofFraction(NaN)", () -> KSparsePolytope.ofFraction(Double.NaN), "(0, 1]"),
        bad("k(0)", () -> K2.k(0), "n must be >= 1, got 0"),
        bad("l1 lmo radius -1", () -> L1.lmo(g, -1), "radius must be in [0, +inf), got -1.0"),
        bad(
            "k lmo radius inf",
            () -> K2.lmo(g, Double.POSITIVE_INFINITY),
            "radius must be in [0, +inf)"),
        bad("k lmo radius NaN", () -> K2.lmo(g, Double.NaN), "radius must be in [0, +inf)"),
        bad("l1 lmo empty", () -> L1.lmo(new float[0], 1), "gradient must have at least one entry"),
        bad("k lmo empty", () -> K2.lmo(new float[0], 1), "gradient must have at least one entry"),
        bad("l1 lmo NaN", () -> L1.lmo(new float[] {1, Float.NaN}, 1), "NaN at index 1"),
        bad("k lmo NaN", () -> K2.lmo(new float[] {Float.NaN, 1}, 1), "NaN at index 0"),
        bad("l1 diameter n=0", () -> L1.diameter(1, 0), "n must be >= 1"),
        bad("k diameter radius -1", () -> K2.diameter(-1, 3), "radius must be in [0, +inf)"),
        bad(
            "l1 radiusForDiameter -1",
            () -> L1.radiusForDiameter(-1, 3),
            "diameter must be in [0, +inf)"),
        bad(
            "k radiusForDiameter NaN",
            () -> K2.radiusForDiameter(Double.NaN, 3),
            "diameter must be in [0, +inf)"),
        bad(
            "radiusFromInit tau 0",
            () -> K2.radiusFromInit(0, 1, 3),
            "tau must be in (0, +inf), got 0.0"),
        bad(
            "radiusFromInit norm 0",
            () -> L1.radiusFromInit(1, 0, 3),
            "expectedInitNorm must be in (0, +inf)"),
        bad("radiusFromInit n=0", () -> K2.radiusFromInit(1, 1, 0), "n must be >= 1"),
        bad("contains tolerance -1", () -> L1.contains(g, 1, -1), "tolerance must be in [0, +inf)"),
        bad("contains radius -1", () -> K2.contains(g, -1, 0), "radius must be in [0, +inf)"),
        bad(
            "contains empty",
            () -> K2.contains(new float[0], 1, 0),
            "x must have at least one entry"),
        bad(
            "graph lmo unknown shape",
            ConstraintArgumentsTest::graphLmoWithUnknownShape,
            "gradient must have a fully known static shape"),
        bad(
            "graph lmo vector radius",
            ConstraintArgumentsTest::graphLmoWithVectorRadius,
            "radius must be a scalar, found shape [2]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(String name, Executable call, String message) {
    Refusals.assertRejected(call, message);
  }

  private static void graphLmoWithUnknownShape() {
    GraphTesting.run(
        tf -> {
          Placeholder<TFloat32> g =
              tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
          return List.of(K2.lmo(tf, g, tf.constant(1f)));
        });
  }

  private static void graphLmoWithVectorRadius() {
    GraphTesting.run(
        tf ->
            List.of(L1.lmo(tf, tf.constant(new float[] {1, 2}), tf.constant(new float[] {1, 2}))));
  }

  private static Arguments bad(String name, Executable call, String message) {
    return Arguments.of(name, call, message);
  }
}
