package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

class InferenceTimerTest {

  @Test
  void measure_twoModels_givesOnePositiveTimingEach() {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 0); Cnn b = SyntheticData.smallCnn(8, 4, 1)) {
      List<InferenceTimer.Timing> t = InferenceTimer.measure(List.of(a, b), Models.VALIDATION,
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

  @Test
  void measure_batchLargerThanData_throws() {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 0)) {
      assertEquals("batchSize must be in [1, 200], got 201", assertThrows(
          IllegalArgumentException.class,
          () -> InferenceTimer.measure(a, Models.VALIDATION, 201, 0, 1)).getMessage());
    }
  }

  @Test
  void measure_zeroRepeats_throws() {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 0)) {
      assertEquals("repeats must be in [1, 1000000], got 0", assertThrows(
          IllegalArgumentException.class,
          () -> InferenceTimer.measure(a, Models.VALIDATION, 1, 0, 0)).getMessage());
    }
  }
}
