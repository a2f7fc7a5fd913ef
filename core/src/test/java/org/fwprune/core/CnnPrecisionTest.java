package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.runtime.Precision;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precision and XLA options of {@link Cnn.Builder}: what they compute and what is saved. */
class CnnPrecisionTest {

  private static final Dataset DATA = SyntheticData.bars(64, 8, 4, 1);
  /**
   * bfloat16 keeps 8 significant bits (relative rounding 2^-9, about 0.2%) on each product input;
   * through one convolution and one dense layer the probabilities moved by less than 0.01 here,
   * so 0.02 leaves a margin while still failing if the products were not float32-like.
   */
  private static final float BFLOAT16_TOLERANCE = 0.02f;

  private static Cnn small(UnaryOperator<Cnn.Builder> options) {
    return options.apply(Cnn.builder().input(8, 8, 1).conv2d(4, 3).relu().maxPool(2)
        .flatten().dense(4).softmax().seed(3)).build();
  }

  private static float maxDifference(float[][] a, float[][] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  @Test
  void xla_predictsWhatFloat32Predicts_within1e5() {
    try (Cnn plain = small(b -> b); Cnn xla = small(b -> b.xla(true))) {
      assertTrue(xla.executionOptions().xla());
      float d = maxDifference(plain.predict(DATA), xla.predict(DATA));
      assertTrue(d <= 1e-5f, "XLA and float32 probabilities differ by " + d);
    }
  }

  @Test
  void bfloat16_predictsWithinItsTolerance_butNotBitExactly() {
    try (Cnn plain = small(b -> b);
        Cnn bf16 = small(b -> b.precision(Precision.BFLOAT16_MIXED))) {
      float d = maxDifference(plain.predict(DATA), bf16.predict(DATA));
      assertTrue(d <= BFLOAT16_TOLERANCE, "bfloat16 probabilities differ by " + d);
      assertTrue(d > 0, "bfloat16 gave float32's values exactly: the products were not cast");
    }
  }

  @Test
  void bfloat16_trainsWithFloat32Variables_lossNearFloat32s() {
    Training training = Training.builder().optimizer(Optimizers.sgd(0.1)).batchSize(16)
        .steps(8).seed(1).build();
    try (Cnn plain = small(b -> b);
        Cnn bf16 = small(b -> b.precision(Precision.BFLOAT16_MIXED))) {
      History p = plain.fit(DATA, training);
      History h = bf16.fit(DATA, training);
      // Same data order and initial weights: after 8 steps the losses agree to bfloat16's ~0.2%
      // per product, accumulated over the steps; 2% relative is the stated tolerance.
      double lp = p.last().loss();
      double lb = h.last().loss();
      assertTrue(Math.abs(lp - lb) <= 0.02 * lp, "losses " + lp + " (float32), " + lb);
    }
  }

  @Test
  void copy_keepsTheExecutionOptions() {
    try (Cnn bf16 = small(b -> b.precision(Precision.BFLOAT16_MIXED).xla(true));
        Cnn twin = bf16.copy()) {
      assertEquals(bf16.executionOptions(), twin.executionOptions());
    }
  }

  @Test
  void saveThenLoad_runsWithDefaultOptions_becauseTheyAreNotSaved(@TempDir Path tmp)
      throws IOException {
    try (Cnn bf16 = small(b -> b.precision(Precision.BFLOAT16_MIXED))) {
      bf16.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        assertEquals(ExecutionOptions.DEFAULT, back.executionOptions());
        assertEquals(bf16.parameters().keySet(), back.parameters().keySet());
      }
    }
  }

  @Test
  void loadAndLoadKeras_runWithTheOptionsTheyAreGiven(@TempDir Path tmp) throws IOException {
    ExecutionOptions options = ExecutionOptions.builder().threads(1, 1)
        .precision(Precision.BFLOAT16_MIXED).build();
    try (Cnn model = small(b -> b)) {
      model.save(tmp.resolve("m"));
      model.saveKeras(tmp.resolve("m.keras"));
      try (Cnn back = Cnn.load(tmp.resolve("m"), options);
          Cnn keras = Cnn.loadKeras(tmp.resolve("m.keras"), options);
          Cnn built = Cnn.builder().input(8, 8, 1).flatten().dense(2).execution(options)
              .build()) {
        assertEquals(options, back.executionOptions());
        assertEquals(options, keras.executionOptions());
        assertEquals(options, built.executionOptions());
      }
    }
  }

  @Test
  void nullPrecision_isRefusedNamingTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cnn.builder().precision(null));
    assertTrue(e.getMessage().contains("BFLOAT16_MIXED"), e.getMessage());
  }
}
