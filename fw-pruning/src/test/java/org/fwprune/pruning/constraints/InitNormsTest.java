package org.fwprune.pruning.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fans and expected initial norms for the radius rule. */
class InitNormsTest {

  static Stream<Arguments> fanCases() {
    // Keras compute_fans: receptive field = product of all but the last two dimensions.
    return Stream.of(
        Arguments.of(new long[] {10}, 10, 10),
        Arguments.of(new long[] {784, 128}, 784, 128),
        Arguments.of(new long[] {5, 5, 1, 32}, 25, 800),
        Arguments.of(new long[] {5, 5, 32, 64}, 800, 1600),
        Arguments.of(new long[] {3, 3, 3, 2, 4}, 54, 108));
  }

  @ParameterizedTest(name = "shape {0}")
  @MethodSource("fanCases")
  void fans_of_followsKerasConvention(long[] shape, long fanIn, long fanOut) {
    assertEquals(new InitNorms.Fans(fanIn, fanOut), InitNorms.Fans.of(shape));
  }

  @Test
  void glorotUniformLimit_isSqrtSixOverFanSum() {
    // Glorot and Bengio 2010, Eq. 16: a = sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 912).
    assertEquals(Math.sqrt(6.0 / 912), InitNorms.glorotUniformLimit(784, 128), 1e-15);
  }

  @Test
  void glorotUniformExpectedL2Norm_dense_isSqrtOfTwoInOutOverSum() {
    // sqrt(n a^2 / 3) with n = in out and a^2 = 6 / (in + out): sqrt(2 in out / (in + out)).
    double expected = Math.sqrt(2.0 * 784 * 128 / (784 + 128));
    assertEquals(expected, InitNorms.glorotUniformExpectedL2Norm(784, 128), 1e-12);
    assertEquals(expected, InitNorms.glorotUniformExpectedL2Norm(784, 128, 784 * 128), 1e-12);
  }

  @Test
  void glorotUniformExpectedL2Norm_matchesMonteCarlo() {
    // 400 fresh draws of a [5, 5, 1, 32] kernel (n = 800): the relative standard error of the
    // mean norm is about 0.45 / sqrt(800) / sqrt(400) = 8e-4, so 0.5% is over 6 sigma.
    long[] shape = {5, 5, 1, 32};
    int n = 800;
    double a = InitNorms.glorotUniformLimit(25, 800);
    Random random = new Random(2024);
    int draws = 400;
    double sum = 0;
    for (int d = 0; d < draws; d++) {
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double w = (2 * random.nextDouble() - 1) * a;
        squares += w * w;
      }
      sum += Math.sqrt(squares);
    }
    double monteCarlo = sum / draws;
    double formula = InitNorms.glorotUniformExpectedL2Norm(shape);
    assertEquals(1.0, monteCarlo / formula, 0.005);
  }

  @Test
  void uniformExpectedL2Norm_isSqrtNOverThreeTimesLimit() {
    assertEquals(Math.sqrt(300 / 3.0) * 0.5, InitNorms.uniformExpectedL2Norm(0.5, 300), 1e-12);
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of((Executable) () -> InitNorms.Fans.of(), "shape must have rank >= 1"),
        Arguments.of(
            (Executable) () -> InitNorms.Fans.of(3, 0), "every dimension of shape must be >= 1"),
        Arguments.of((Executable) () -> new InitNorms.Fans(0, 3), "fanIn must be >= 1, got 0"),
        Arguments.of(
            (Executable) () -> InitNorms.glorotUniformLimit(3, 0), "fanOut must be >= 1, got 0"),
        Arguments.of(
            (Executable) () -> InitNorms.uniformExpectedL2Norm(0, 3), "limit must be in (0, +inf)"),
        Arguments.of(
            (Executable) () -> InitNorms.uniformExpectedL2Norm(1, 0), "n must be >= 1, got 0"),
        Arguments.of(
            (Executable) () -> InitNorms.glorotUniformExpectedL2Norm(3, 3, 0), "n must be >= 1"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badArgument_throwsWithAllowedRange(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
  }
}
