package org.fwprune.pruning.schedule;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.Refusals.bad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.fwprune.pruning.constraints.GraphTesting;
import org.fwprune.core.testing.Refusals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Values, clipping, zero denominators and graph/Java agreement of the FW step sizes. */
class StepSizeTest {

  /** Java results are exact formulas in double; compare with a rounding-level tolerance. */
  private static final double TOLERANCE = 1e-12;

  @ParameterizedTest(name = "t={0} -> {1}")
  @CsvSource({"0, 1.0", "1, 0.6666666666666666", "2, 0.5", "8, 0.2", "98, 0.02"})
  void classic_isTwoOverTPlusTwo(long step, double expected) {
    // Jaggi 2013, Algorithm 1: 2 / (t + 2).
    assertEquals(expected, StepSize.classic().eta(step, 3, 4, 5), TOLERANCE);
  }

  @Test
  void classic_isDecreasing() {
    StepSize classic = StepSize.classic();
    for (long t = 0; t < 1000; t++) {
      assertTrue(classic.eta(t + 1, 0, 0, 0) < classic.eta(t, 0, 0, 0));
    }
  }

  @Test
  void fixed_isAlphaAtEveryStep() {
    assertEquals(0.3, StepSize.fixed(0.3).eta(0, 0, 0, 0));
    assertEquals(0.3, StepSize.fixed(0.3).eta(1_000_000, 7, 8, 9));
  }

  @ParameterizedTest(name = "alpha={0} |m|={1} |theta-v|={2} -> {3}")
  @CsvSource({
    // alpha |m| / |theta - v|, by hand.
    "0.05, 2.0, 4.0, 0.025",
    "0.2, 1.0, 0.5, 0.4",
    // ratio above 1: clipped.
    "1.0, 10.0, 1.0, 1.0",
    // zero gradient: no move.
    "0.5, 0.0, 3.0, 0.0",
    // zero distance: theta = v, eta = 0 by convention (no NaN).
    "0.5, 2.0, 0.0, 0.0",
    "0.5, 0.0, 0.0, 0.0",
  })
  void gradientRescaled_isAlphaGradOverDistanceClipped(
      double alpha, double gradNorm, double distance, double expected) {
    assertEquals(
        expected, StepSize.gradientRescaled(alpha).eta(7, gradNorm, distance, 1), TOLERANCE);
  }

  @ParameterizedTest(name = "alpha={0} D={1} -> {2}")
  @CsvSource({
    "0.2, 4.0, 0.05",
    "2.0, 40.0, 0.05",
    // alpha / D above 1: clipped.
    "0.2, 0.1, 1.0",
    // zero diameter: eta = 0 by convention (no infinity).
    "0.2, 0.0, 0.0",
  })
  void diameterRescaled_isAlphaOverDiameterClipped(double alpha, double diameter, double expected) {
    assertEquals(expected, StepSize.diameterRescaled(alpha).eta(3, 1, 1, diameter), TOLERANCE);
  }

  static Stream<StepSize> rules() {
    return Stream.of(
        StepSize.classic(),
        StepSize.fixed(0.4),
        StepSize.gradientRescaled(0.05),
        StepSize.gradientRescaled(3),
        StepSize.diameterRescaled(0.2),
        StepSize.diameterRescaled(50));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void eta_randomInputs_staysInUnitInterval(StepSize rule) {
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      double eta =
          rule.eta(
              random.nextInt(10_000),
              random.nextDouble() * 100,
              random.nextDouble() * 100 * (i % 7 == 0 ? 0 : 1),
              random.nextDouble() * 100 * (i % 5 == 0 ? 0 : 1));
      assertTrue(eta >= 0 && eta <= 1, () -> "eta = " + eta);
    }
  }

  static Stream<Arguments> graphCases() {
    // (step, |m|, |theta - v|, D): ordinary values, clipping, and zero denominators.
    double[][] inputs = {
      {0, 2, 4, 5}, {1, 1, 0.5, 0.1}, {41, 0.3, 7, 40}, {12345, 0, 0, 0}, {3, 2, 0, 8}
    };
    return rules().flatMap(rule -> Stream.of(inputs).map(in -> Arguments.of(rule, in)));
  }

  @ParameterizedTest(name = "{0} inputs={1}")
  @MethodSource("graphCases")
  void eta_graphWithInt64Step_matchesJava(StepSize rule, double[] in) {
    float graph =
        GraphTesting.runOne(
            tf ->
                rule.eta(
                    tf,
                    tf.constant((long) in[0]),
                    tf.constant((float) in[1]),
                    tf.constant((float) in[2]),
                    tf.constant((float) in[3])))[0];
    double java = rule.eta((long) in[0], in[1], in[2], in[3]);
    assertEquals(java, graph, GRAPH_TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void eta_graphWithFloatStep_matchesJava(StepSize rule) {
    float graph =
        GraphTesting.runOne(
            tf ->
                rule.eta(
                    tf, tf.constant(6f), tf.constant(1.5f), tf.constant(2.5f), tf.constant(3.5f)))[
            0];
    assertEquals(rule.eta(6, 1.5, 2.5, 3.5), graph, GRAPH_TOLERANCE);
  }

  @Test
  void toString_namesHyperParameters() {
    assertEquals("GradientRescaled[alpha=0.05]", StepSize.gradientRescaled(0.05).toString());
    assertEquals("Classic[]", StepSize.classic().toString());
  }

  static Stream<Arguments> badArguments() {
    StepSize classic = StepSize.classic();
    return Stream.of(
        bad(() -> StepSize.fixed(0), "alpha must be in (0, 1], got 0.0"),
        bad(() -> StepSize.fixed(1.5), "alpha must be in (0, 1], got 1.5"),
        bad(() -> StepSize.fixed(Double.NaN), "alpha must be in (0, 1]"),
        bad(() -> StepSize.gradientRescaled(0), "alpha must be in (0, +inf), got 0.0"),
        bad(() -> StepSize.gradientRescaled(-1), "alpha must be in (0, +inf)"),
        bad(
            () -> StepSize.gradientRescaled(Double.POSITIVE_INFINITY),
            "alpha must be in (0, +inf)"),
        bad(() -> StepSize.diameterRescaled(0), "alpha must be in (0, +inf)"),
        bad(() -> StepSize.diameterRescaled(Double.NaN), "alpha must be in (0, +inf)"),
        bad(() -> classic.eta(-1, 0, 0, 0), "step must be >= 0, got -1"),
        bad(() -> classic.eta(0, -1, 0, 0), "gradNorm must be in [0, +inf), got -1.0"),
        bad(() -> StepSize.fixed(0.5).eta(0, 0, Double.NaN, 0), "distance must be in [0, +inf)"),
        bad(
            () -> StepSize.gradientRescaled(1).eta(0, 0, 0, Double.POSITIVE_INFINITY),
            "diameter must be in [0, +inf)"),
        bad(() -> StepSize.diameterRescaled(1).eta(0, 0, 0, -2), "diameter must be in [0, +inf)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(Executable call, String message) {
    Refusals.assertRejected(call, message);
  }
}
