package org.fwprune.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearningRateScheduleTest {

  @ParameterizedTest(name = "step {0} of 9: factor {1}")
  @CsvSource({"0, 1.0", "5, 1.0", "6, 0.1", "8, 0.1"})
  void stepDecay_lastThird_dividesByTen(long step, double factor) {
    // 2/3 of 9 steps is 6: steps 6, 7, 8 are the last third.
    assertEquals(factor, LearningRateSchedule.stepDecay(0.1, 2.0 / 3).factorAt(step, 9), 1e-12);
  }

  @ParameterizedTest(name = "step {0} of 10: factor {1}")
  @CsvSource({"4, 1.0", "5, 0.5", "7, 0.5", "8, 0.25"})
  void stepDecay_twoFractions_compound(long step, double factor) {
    assertEquals(factor, LearningRateSchedule.stepDecay(0.5, 0.5, 0.8).factorAt(step, 10), 1e-12);
  }

  @ParameterizedTest(name = "step {0}")
  @CsvSource({"0", "99"})
  void constant_isOne(long step) {
    assertEquals(1.0, LearningRateSchedule.constant().factorAt(step, 100), 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "1.0|0.5|factor must be in (0, 1), got 1.0",
      "0.1|1.0|each fraction must be in (0, 1), got 1.0",
      "0.1|0|each fraction must be in (0, 1), got 0.0"})
  void stepDecay_outOfRange_throwsWithAllowedRange(double factor, double fraction,
      String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> LearningRateSchedule.stepDecay(factor, fraction)).getMessage());
  }

  @org.junit.jupiter.api.Test
  void stepDecay_decreasingFractions_throws() {
    assertEquals("fractions must be strictly increasing, got [0.5, 0.3]",
        assertThrows(IllegalArgumentException.class,
            () -> LearningRateSchedule.stepDecay(0.1, 0.5, 0.3)).getMessage());
  }

  @org.junit.jupiter.api.Test
  void factorAt_stepOutsideRun_throws() {
    assertEquals("step must be in [0, 10), got 10", assertThrows(IllegalArgumentException.class,
        () -> LearningRateSchedule.constant().factorAt(10, 10)).getMessage());
  }
}
