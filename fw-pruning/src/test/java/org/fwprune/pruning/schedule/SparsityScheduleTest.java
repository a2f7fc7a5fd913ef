package org.fwprune.pruning.schedule;

import static org.fwprune.core.testing.Refusals.bad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.fwprune.core.testing.Refusals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Endpoints, hand-computed values, monotonicity and argument checks of sparsity schedules. */
class SparsityScheduleTest {

  private static final double TOLERANCE = 1e-12;

  @Test
  void constant_isSameAtEveryStep() {
    SparsitySchedule schedule = SparsitySchedule.constant(0.9);
    assertEquals(0.9, schedule.sparsityAt(0));
    assertEquals(0.9, schedule.sparsityAt(123_456));
    assertEquals(0.9, schedule.finalSparsity());
  }

  @ParameterizedTest(name = "t={0} -> {1}")
  @CsvSource({
    // s0 = 0.5, sf = 0.9, t0 = 10, T = 110: before t0 and at t0 -> s0; at and after T -> sf.
    "0, 0.5",
    "10, 0.5",
    "110, 0.9",
    "1000, 0.9",
    // t = 60: 0.9 + (0.5 - 0.9) (1 - 50/100)^3 = 0.9 - 0.4 * 0.125 = 0.85.
    "60, 0.85",
    // t = 35: 0.9 - 0.4 * 0.75^3 = 0.73125.
    "35, 0.73125",
  })
  void cubic_matchesZhuGuptaFormula(long step, double expected) {
    SparsitySchedule schedule = SparsitySchedule.cubic(0.5, 0.9, 10, 110);
    assertEquals(expected, schedule.sparsityAt(step), TOLERANCE);
  }

  @Test
  void cubic_isNonDecreasing() {
    SparsitySchedule schedule = SparsitySchedule.cubic(0.2, 0.95, 5, 258);
    for (long t = 0; t < 300; t++) {
      assertTrue(schedule.sparsityAt(t + 1) >= schedule.sparsityAt(t), "t = " + t);
    }
  }

  @Test
  void cubic_equalInitialAndFinal_isConstant() {
    SparsitySchedule schedule = SparsitySchedule.cubic(0.8, 0.8, 0, 10);
    assertEquals(0.8, schedule.sparsityAt(5), TOLERANCE);
    assertEquals(0.8, schedule.finalSparsity());
  }

  @Test
  void toString_namesHyperParameters() {
    assertEquals(
        "Cubic[initialSparsity=0.5, finalSparsity=0.9, beginStep=0, endStep=258]",
        SparsitySchedule.cubic(0.5, 0.9, 0, 258).toString());
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad(() -> SparsitySchedule.constant(-0.1), "sparsity must be in [0, 1), got -0.1"),
        bad(() -> SparsitySchedule.constant(1.0), "sparsity must be in [0, 1), got 1.0"),
        bad(() -> SparsitySchedule.constant(Double.NaN), "sparsity must be in [0, 1)"),
        bad(() -> SparsitySchedule.cubic(-0.1, 0.9, 0, 10), "initialSparsity must be in [0, 1)"),
        bad(
            () -> SparsitySchedule.cubic(0.5, 1.0, 0, 10),
            "finalSparsity must be in [0, 1), got 1.0"),
        bad(
            () -> SparsitySchedule.cubic(0.9, 0.5, 0, 10),
            "initialSparsity must be <= finalSparsity (0.5), got 0.9"),
        bad(() -> SparsitySchedule.cubic(0.5, 0.9, -1, 10), "beginStep must be >= 0, got -1"),
        bad(
            () -> SparsitySchedule.cubic(0.5, 0.9, 10, 10),
            "endStep must be > beginStep (10), got 10"),
        bad(() -> SparsitySchedule.constant(0.5).sparsityAt(-1), "step must be >= 0, got -1"),
        bad(() -> SparsitySchedule.cubic(0.5, 0.9, 0, 10).sparsityAt(-3), "step must be >= 0"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(Executable call, String message) {
    Refusals.assertRejected(call, message);
  }
}
