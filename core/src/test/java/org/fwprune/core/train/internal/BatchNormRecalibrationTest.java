package org.fwprune.core.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchNormRecalibrationTest {

  private static final Dataset TRAIN = SyntheticData.bars(256, 8, 4, 1);

  @Test
  void run_setsMovingStatisticsToTheAverageOverTheBatches() {
    // Four one-pixel images {0, 0, 0, 4}, two batches of two (one shuffled pass): whatever the
    // order, the batches are {0, 4} and {0, 0}, with means 2 and 0 and biased variances 4 and 0,
    // so the averages are 1 and 2. The variance of all four pixels would be 3, and Keras' update
    // (momentum 0.99 from 0 and 1) would give 0.0199 and 1.0: the average is over batches.
    Dataset x = Dataset.of(new float[] {0, 0, 0, 4}, new int[] {0, 1, 0, 1}, 1, 1, 1, 2);
    try (Cnn model = Cnn.builder().input(1, 1, 1).batchNorm().flatten().dense(2).build()) {
      BatchNormRecalibration.run(ModelGraph.of(model.prunable()), x, 2, 2, 7);
      Map<String, float[]> p = model.parameters();
      FloatAsserts.assertClose(new float[] {1f}, p.get("batch_normalization_1/moving_mean"), 1e-6f);
      FloatAsserts.assertClose(new float[] {2f}, p.get("batch_normalization_1/moving_variance"),
          1e-6f);
    }
  }

  @Test
  void recalibrateBatchNorm_changesOnlyTheMovingStatistics() {
    try (Cnn model = Cnn.of(Architectures.resNet(8, 8, 8, 1, 4))) {
      Map<String, float[]> before = model.parameters();
      model.recalibrateBatchNorm(TRAIN, 2);
      Map<String, float[]> after = model.parameters();
      for (String key : before.keySet()) {
        if (key.endsWith("/moving_mean") || key.endsWith("/moving_variance")) {
          assertFalse(Arrays.equals(before.get(key), after.get(key)), key + " did not move");
        } else {
          assertArrayEquals(before.get(key), after.get(key), key + " changed");
        }
      }
    }
  }

  @Test
  void run_withoutBatchNorm_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      assertEquals("the model has no BatchNorm layer, so there are no statistics to recalibrate",
          assertThrows(IllegalArgumentException.class,
              () -> model.recalibrateBatchNorm(TRAIN, 1)).getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100_001})
  void run_batchesOutOfRange_throwsWithAllowedRange(int batches) {
    try (Cnn model = Cnn.of(Architectures.resNet(8, 8, 8, 1, 4))) {
      assertEquals("BatchNorm recalibration batches must be in [1, 100000], got " + batches,
          assertThrows(IllegalArgumentException.class,
              () -> model.recalibrateBatchNorm(TRAIN, batches)).getMessage());
    }
  }
}
