package org.fwprune.pruning.schedule;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.fwprune.pruning.constraints.GraphTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Values, graph/Java agreement and argument checks of momentum schedules. */
class MomentumScheduleTest {

  @Test
  void constant_isRhoAtEveryStep() {
    assertEquals(0.9, MomentumSchedule.constant(0.9).momentumAt(0));
    assertEquals(0.9, MomentumSchedule.constant(0.9).momentumAt(99_999));
  }

  @Test
  void decaying_atStepZero_isOneMinusFourOverNineToTwoThirds() {
    // Mokhtari et al.: weight 4 / (t + 8)^(2/3) on the new gradient at their t = 1, our t = 0;
    // 9^(2/3) = 4.3267487109222245, so rho_0 = 1 - 4 / 4.3267... = 0.07551...
    assertEquals(1 - 4 / Math.cbrt(81), MomentumSchedule.decaying().momentumAt(0), 1e-12);
  }

  @Test
  void decaying_risesTowardsOne() {
    MomentumSchedule schedule = MomentumSchedule.decaying();
    for (long t = 0; t < 1000; t++) {
      assertTrue(schedule.momentumAt(t + 1) > schedule.momentumAt(t));
    }
    assertTrue(schedule.momentumAt(1_000_000) < 1);
    assertTrue(schedule.momentumAt(1_000_000) > 0.99);
  }

  @ParameterizedTest(name = "t={0}")
  @ValueSource(longs = {0, 1, 7, 100, 5000})
  void momentumAt_graph_matchesJava(long step) {
    for (MomentumSchedule schedule :
        new MomentumSchedule[] {MomentumSchedule.constant(0.9), MomentumSchedule.decaying()}) {
      float graph = GraphTesting.runOne(tf -> schedule.momentumAt(tf, tf.constant(step)))[0];
      assertEquals(schedule.momentumAt(step), graph, GRAPH_TOLERANCE, schedule.toString());
    }
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(
            (Executable) () -> MomentumSchedule.constant(-0.1), "rho must be in [0, 1), got -0.1"),
        Arguments.of(
            (Executable) () -> MomentumSchedule.constant(1.0), "rho must be in [0, 1), got 1.0"),
        Arguments.of(
            (Executable) () -> MomentumSchedule.constant(Double.NaN), "rho must be in [0, 1)"),
        Arguments.of(
            (Executable) () -> MomentumSchedule.constant(0.9).momentumAt(-1), "step must be >= 0"),
        Arguments.of(
            (Executable) () -> MomentumSchedule.decaying().momentumAt(-1), "step must be >= 0"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
  }
}
