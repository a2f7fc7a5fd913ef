package org.fwprune.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debiased BatchNorm statistics ({@link LayerSpec.BatchNorm}) and the re-estimation that ends a
 * run still warming up. The model normalises its one-pixel input, so the batch statistics are
 * the data's: the four pixels {0, 0, 0, 4} in one batch have mean 1 and biased variance 3.
 */
class BatchNormDebiasTest {

  private static final Dataset PIXELS = Dataset.of(new float[] {0, 0, 0, 4},
      new int[] {0, 1, 0, 1}, 1, 1, 1, 2);
  private static final String MEAN = "batch_normalization_1/moving_mean";
  private static final String VARIANCE = "batch_normalization_1/moving_variance";
  /** float32 arithmetic of a few ops on values near 1. */
  private static final float TOLERANCE = 1e-6f;

  private static Cnn pixelModel(boolean debias) {
    return Cnn.builder().input(1, 1, 1).batchNorm().flatten().dense(2).batchNormDebias(debias)
        .build();
  }

  private static Training steps(int steps, int recalibration) {
    return Training.builder().batchSize(4).steps(steps).batchNormRecalibration(recalibration)
        .build();
  }

  @Test
  void firstUpdate_debiased_movesNineTenthsOfTheWayToTheBatch() {
    try (Cnn model = pixelModel(true)) {
      model.fit(PIXELS, steps(1, 0));
      // decay min(0.99, 1/10) = 0.1: mean 0.1 * 0 + 0.9 * 1, variance 0.1 * 1 + 0.9 * 3.
      FloatAsserts.assertClose(new float[] {0.9f}, model.parameters().get(MEAN), TOLERANCE);
      FloatAsserts.assertClose(new float[] {2.8f}, model.parameters().get(VARIANCE), TOLERANCE);
    }
  }

  @Test
  void firstUpdate_withoutDebias_movesAtKerasMomentum() {
    try (Cnn model = pixelModel(false)) {
      model.fit(PIXELS, steps(1, 0));
      FloatAsserts.assertClose(new float[] {0.01f}, model.parameters().get(MEAN), TOLERANCE);
      FloatAsserts.assertClose(new float[] {1.02f}, model.parameters().get(VARIANCE), TOLERANCE);
    }
  }

  @Test
  void secondUpdate_debiased_usesDecayTwoElevenths() {
    try (Cnn model = pixelModel(true)) {
      model.fit(PIXELS, steps(2, 0));
      // t = 1: decay 2/11; mean 2/11 * 0.9 + 9/11 * 1.
      FloatAsserts.assertClose(new float[] {(float) (2.0 / 11 * 0.9 + 9.0 / 11)},
          model.parameters().get(MEAN), TOLERANCE);
    }
  }

  @Test
  void statisticsWrittenFromOutside_countAsWarmedUp() {
    try (Cnn model = pixelModel(true)) {
      model.setParameters(Map.of(MEAN, new float[] {0.5f}, VARIANCE, new float[] {2f}));
      model.fit(PIXELS, steps(1, 0));
      // Keras' rate 0.01 from the written values, not 0.9: a fine-tune keeps imported statistics.
      FloatAsserts.assertClose(new float[] {0.505f}, model.parameters().get(MEAN), TOLERANCE);
    }
  }

  @Test
  void updateCount_survivesSaveAndLoad(@TempDir Path dir) throws IOException {
    try (Cnn model = pixelModel(true)) {
      model.fit(PIXELS, steps(3, 0));
      model.save(dir.resolve("m"));
      try (Cnn loaded = Cnn.load(dir.resolve("m"))) {
        assertEquals(3f,
            ModelGraph.of(loaded.prunable()).read(ModelGraph.STATISTICS_UPDATES_KEY)[0], 0f);
        // So the loaded model continues the warm-up where the saved one stopped (t = 3).
        loaded.fit(PIXELS, steps(1, 0));
        model.fit(PIXELS, steps(1, 0));
        assertEquals(model.parameters().get(MEAN)[0], loaded.parameters().get(MEAN)[0], 0f);
      }
    }
  }

  @Test
  void debiasOff_survivesSaveAndLoad(@TempDir Path dir) throws IOException {
    try (Cnn model = pixelModel(false)) {
      model.save(dir.resolve("m"));
      try (Cnn loaded = Cnn.load(dir.resolve("m"))) {
        assertFalse(loaded.architecture().debiasesBatchNorm());
        assertEquals(model.architecture(), loaded.architecture());
      }
    }
  }

  @Test
  void modelSavedBeforeDebiasExisted_loadsWithDebiasOnAndStatisticsWarmedUp(@TempDir Path dir)
      throws IOException {
    // Such a folder has no "debias" in its BatchNorm specs and no update count among its
    // variables: what pixelModel(false) writes once "debias" is taken out of model.json.
    Path saved = dir.resolve("m");
    try (Cnn model = pixelModel(false)) {
      model.save(saved);
    }
    Path manifest = saved.resolve("model.json");
    String json = Files.readString(manifest);
    String older = json.replaceAll(",\\s*\"debias\"\\s*:\\s*false", "");
    assertFalse(older.contains("debias"), older);
    Files.writeString(manifest, older);
    try (Cnn loaded = Cnn.load(saved)) {
      assertTrue(loaded.architecture().debiasesBatchNorm());
      assertFalse(ModelGraph.of(loaded.prunable()).statisticsWarmingUp());
    }
  }

  @Test
  void shortRun_byDefault_endsWithStatisticsReestimated() {
    try (Cnn model = pixelModel(true)) {
      History h = model.fit(PIXELS, Training.builder().batchSize(4).steps(1).build());
      assertEquals(1, h.steps());
      // One batch of all four pixels, re-estimated: exactly the data's mean and variance.
      FloatAsserts.assertClose(new float[] {1f}, model.parameters().get(MEAN), TOLERANCE);
      FloatAsserts.assertClose(new float[] {3f}, model.parameters().get(VARIANCE), TOLERANCE);
    }
  }

  @Test
  void warmedUpStatistics_byDefault_areNotReestimated() {
    try (Cnn model = pixelModel(true)) {
      model.setParameters(Map.of(MEAN, new float[] {0.5f}, VARIANCE, new float[] {2f}));
      assertFalse(ModelGraph.of(model.prunable()).statisticsWarmingUp());
      model.fit(PIXELS, Training.builder().batchSize(4).steps(1).build());
      FloatAsserts.assertClose(new float[] {0.505f}, model.parameters().get(MEAN), TOLERANCE);
    }
  }

  @Test
  void warmUp_endsAfterEightHundredNinetyUpdatesAtMomentum099() {
    try (Cnn model = pixelModel(true)) {
      ModelGraph.of(model.prunable()).write(ModelGraph.STATISTICS_UPDATES_KEY, new float[] {889});
      assertTrue(ModelGraph.of(model.prunable()).statisticsWarmingUp());
      ModelGraph.of(model.prunable()).write(ModelGraph.STATISTICS_UPDATES_KEY, new float[] {890});
      assertFalse(ModelGraph.of(model.prunable()).statisticsWarmingUp());
    }
  }

  @Test
  void explicitRecalibration_onNetworkWithoutBatchNorm_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(
          SyntheticData.bars(8, 8, 4, 1), Training.builder().steps(1).batchNormRecalibration(5)
              .build()));
      assertEquals("batchNormRecalibration(5) needs a model with BatchNorm layers; this one has"
          + " none", e.getMessage());
    }
  }

  @Test
  void builderOption_turnsDebiasOffInEveryBatchNorm() {
    Architecture a = Cnn.builder().input(4, 4, 1).batchNorm().conv2d(2, 3).batchNorm().flatten()
        .dense(2).batchNormDebias(false).architecture();
    assertFalse(a.debiasesBatchNorm());
    assertTrue(a.withBatchNormDebias(true).debiasesBatchNorm());
    assertEquals("BatchNorm[momentum=0.99, epsilon=0.001, debias=false]",
        a.layers().get(0).toString());
  }
}
