package org.fwprune.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferenceTimerTest {

  private static final Dataset VALIDATION = SyntheticData.bars(200, 8, 4, 2);

  @Test
  void measure_twoModels_givesOnePositiveTimingEach() {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 0); Cnn b = SyntheticData.smallCnn(8, 4, 1)) {
      List<InferenceTimer.Timing> t = InferenceTimer.measure(List.of(a, b), VALIDATION,
          50, 2, 5);
      assertEquals(2, t.size());
      for (InferenceTimer.Timing timing : t) {
        assertEquals(50, timing.batchSize());
        assertEquals(5, timing.repeats());
        assertTrue(timing.medianSeconds() > 0);
        assertEquals(1000 * timing.medianSeconds() / 50, timing.msPerExample(), 1e-12);
      }
    }
  }

  @ParameterizedTest(name = "batch {0}, repeats {1}")
  @CsvSource(delimiter = ';', value = {
      "201; 1; batchSize must be in [1, 200], got 201",
      "1; 0; repeats must be in [1, 1000000], got 0"})
  void measure_outOfRange_throwsNamingTheRange(int batchSize, int repeats, String message) {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 0)) {
      assertEquals(message, assertThrows(IllegalArgumentException.class,
          () -> InferenceTimer.measure(a, VALIDATION, batchSize, 0, repeats)).getMessage());
    }
  }

  @Test
  void alternate_timesEveryBodyTheRequestedNumberOfTimes() {
    int[] calls = new int[2];
    List<Double> medians = MedianTimer.alternate(List.of(() -> calls[0]++, () -> calls[1]++), 3,
        7);
    assertEquals(2, medians.size());
    assertEquals(10, calls[0]);
    assertEquals(10, calls[1]);
  }

  @Test
  void alternate_medianOfKnownDurations_isTheMiddleOne() {
    // Sleeps of 1, 300, 1 ms: the median is one of the 1 ms sleeps, whatever the scheduler adds
    // to them on a loaded machine (up to 199 ms; 20 ms has been seen on the shared CI cores).
    int[] call = {0};
    long[] sleeps = {1, 300, 1};
    double median = MedianTimer.median(0, 3, () -> {
      try {
        Thread.sleep(sleeps[call[0]++]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(median >= 0.001 && median < 0.2, "median " + median);
  }
}
