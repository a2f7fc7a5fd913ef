package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.OlderModelFiles;
import org.fwprune.core.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped and dilated convolutions ({@link LayerSpec.Conv2d}'s {@code groups} and {@code
 * dilation}), checked against the plain convolutions they equal: a grouped kernel is a dense one
 * that is zero outside its groups' diagonal blocks, a dilated one a wider one that is zero between
 * its taps.
 */
class ConvOptionsTest {

  /**
   * Two float32 convolutions of the same products summed in another order: a few ulps of outputs
   * of order 1.
   */
  private static final float SAME_NETWORK = 1e-5f;

  @TempDir
  Path tmp;

  /** Six 7x7 images of Gaussian pixels, seeded, labelled 0 and 1 alternately. */
  private static Dataset images(int channels) {
    java.util.Random r = new java.util.Random(4);
    float[] x = new float[6 * 7 * 7 * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return Dataset.of(x, new int[] {0, 1, 0, 1, 0, 1}, 7, 7, channels, 2);
  }

  /**
   * Gives {@code plain} the parameters of {@code model} with {@code kernel} as its first
   * convolution's, then checks that both predict the same on images of {@code channels} channels.
   */
  private static void assertSamePredictions(Cnn model, Cnn plain, float[] kernel, int channels) {
    Map<String, float[]> p = new HashMap<>(model.parameters());
    p.put("conv2d_1/kernel", kernel);
    plain.setParameters(p);
    Dataset x = images(channels);
    FloatAsserts.assertClose(FloatAsserts.flatten(plain.predict(x)),
        FloatAsserts.flatten(model.predict(x)), SAME_NETWORK);
  }

  @Test
  void groupedConv2d_kernelHasInputChannelsPerGroup() {
    try (Cnn model = Cnn.builder().input(7, 7, 4).groupedConv2d(6, 3, 1, Padding.SAME, 2, false)
        .globalAvgPool().dense(2).build()) {
      assertEquals(List.of(3L, 3L, 2L, 6L),
          model.architecture().layer("conv2d_1").kernelShape());
      assertEquals(3 * 3 * 2 * 6 + 6 * 2 + 2, model.parameterCount());
    }
  }

  @Test
  void dilatedConv2d_valid_shrinksByTheDilatedSpan() {
    // 3 taps 2 apart span 5 pixels: 9 - 5 + 1 = 5 positions per side.
    try (Cnn model = Cnn.builder().input(9, 9, 1).dilatedConv2d(2, 3, 2, Padding.VALID, true)
        .flatten().dense(2).build()) {
      assertEquals(List.of(5, 5, 2), model.architecture().layer("conv2d_1").outputShape());
    }
  }

  @Test
  void dilatedConv2d_same_keepsTheSize() {
    try (Cnn model = Cnn.builder().input(9, 9, 1).dilatedConv2d(2, 3, 3, Padding.SAME, true)
        .flatten().dense(2).build()) {
      assertEquals(List.of(9, 9, 2), model.architecture().layer("conv2d_1").outputShape());
    }
  }

  @Test
  void groupedConv2d_predicts_asConvWithBlockDiagonalKernel() {
    // in 4 channels, 6 filters, 2 groups: filters 0-2 read channels 0-1, filters 3-5 channels 2-3.
    try (Cnn grouped = Cnn.builder().input(7, 7, 4).groupedConv2d(6, 3, 1, Padding.SAME, 2, true)
            .globalAvgPool().dense(2).seed(3).build();
        Cnn dense = Cnn.builder().input(7, 7, 4).conv2d(6, 3, 1, Padding.SAME, true)
            .globalAvgPool().dense(2).build()) {
      float[] k = grouped.parameters().get("conv2d_1/kernel");  // [3, 3, 2, 6]
      float[] full = new float[3 * 3 * 4 * 6];  // [3, 3, 4, 6]
      for (int tap = 0; tap < 9; tap++) {
        for (int i = 0; i < 2; i++) {
          for (int o = 0; o < 6; o++) {
            int channel = (o / 3) * 2 + i;
            full[(tap * 4 + channel) * 6 + o] = k[(tap * 2 + i) * 6 + o];
          }
        }
      }
      assertSamePredictions(grouped, dense, full, 4);
    }
  }

  /**
   * A [1, 3, 2, 3] kernel whose taps are 2 columns apart as the [1, 5, 2, 3] kernel with columns
   * 1 and 3 zero.
   */
  private static float[] widened(float[] k) {
    float[] full = new float[5 * 2 * 3];
    for (int tap = 0; tap < 3; tap++) {
      System.arraycopy(k, tap * 6, full, 2 * tap * 6, 6);
    }
    return full;
  }

  /** The taps of a [1, 5, 2, 3] kernel whose columns 1 and 3 are gaps: {@link #widened} undone. */
  private static float[] taps(float[] full) {
    float[] k = new float[3 * 2 * 3];
    for (int tap = 0; tap < 3; tap++) {
      System.arraycopy(full, 2 * tap * 6, k, tap * 6, 6);
    }
    return k;
  }

  /** 7x7x2 input, a 1x3 convolution of 3 filters dilated 2 along the width, pool, dense(2). */
  private static Cnn dilated1x3(Padding padding) {
    return Cnn.builder().input(7, 7, 2).conv2d(new LayerSpec.Conv2d(3, 1, 1, padding, true, 3, 1,
        1, 1, 2)).globalAvgPool().dense(2).seed(4).build();
  }

  /** {@link #dilated1x3}'s network with an undilated 1x5 window instead. */
  private static Cnn wide1x5(Padding padding) {
    return Cnn.builder().input(7, 7, 2).conv2d(3, 1, 5, 1, 1, padding, true).globalAvgPool()
        .dense(2).build();
  }

  @Test
  void dilatedConv2d_predicts_asWiderConvZeroBetweenTaps() {
    try (Cnn dilated = dilated1x3(Padding.SAME); Cnn wide = wide1x5(Padding.SAME)) {
      // A 1x3 window with its taps 2 columns apart is a 1x5 window with columns 1 and 3 zero.
      float[] k = dilated.parameters().get("conv2d_1/kernel");  // [1, 3, 2, 3]
      float[] full = widened(k);  // [1, 5, 2, 3]
      assertSamePredictions(dilated, wide, full, 2);
    }
  }

  @Test
  void dilatedConv2d_fit_updatesTheTapsAsTheWiderConv() {
    // One step on the same batch: the wider convolution's kernel at the taps gets the dilated
    // kernel's gradient, so both kernels agree there afterwards (elementwise optimizer updates).
    try (Cnn dilated = dilated1x3(Padding.VALID); Cnn wide = wide1x5(Padding.VALID)) {
      float[] k = dilated.parameters().get("conv2d_1/kernel");  // [1, 3, 2, 3]
      float[] full = widened(k);  // [1, 5, 2, 3]
      Map<String, float[]> p = new HashMap<>(dilated.parameters());
      p.put("conv2d_1/kernel", full);
      wide.setParameters(p);
      Training oneStep = Training.builder().batchSize(6).steps(1).shuffle(false).build();
      dilated.fit(images(2), oneStep);
      wide.fit(images(2), oneStep);
      float[] after = dilated.parameters().get("conv2d_1/kernel");
      assertTrue(!java.util.Arrays.equals(k, after), "the dilated kernel did not change");
      FloatAsserts.assertClose(taps(wide.parameters().get("conv2d_1/kernel")), after,
          SAME_NETWORK);
    }
  }

  @Test
  void groupedDilatedConv2d_fit_trainsOnTheCpu() {
    // TensorFlow's CPU kernels have no gradient of a grouped Conv2D: the graph must not use one.
    try (Cnn model = Cnn.builder().input(7, 7, 2).conv2d(new LayerSpec.Conv2d(4, 3, 1,
            Padding.SAME, false, 3, 1, 2, 2, 2)).batchNorm().relu().globalAvgPool().dense(2)
        .seed(5).build()) {
      float[] before = model.parameters().get("conv2d_1/kernel").clone();
      model.fit(images(2), Training.builder().batchSize(3).steps(2).shuffle(false).build());
      float[] after = model.parameters().get("conv2d_1/kernel");
      assertTrue(!java.util.Arrays.equals(before, after), "the grouped kernel did not change");
    }
  }

  @Test
  void groupedDilatedConv2d_saveAndLoad_keepsTheOptions() throws IOException {
    LayerSpec.Conv2d spec = new LayerSpec.Conv2d(4, 1, 1, Padding.SAME, true, 3, 1, 2, 1, 2);
    try (Cnn model = Cnn.builder().input(7, 7, 2).conv2d(spec).globalAvgPool().dense(2).build()) {
      model.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        assertEquals(spec, back.architecture().layer("conv2d_1").spec());
      }
    }
  }

  @Test
  void load_fileWithoutGroupsOrDilation_readsOneGroupAndDilationOne() throws IOException {
    // Files written before the options existed have none of the three fields.
    Path dir = tmp.resolve("old");
    try (Cnn model = Cnn.builder().input(7, 7, 2).conv2d(3, 3, 1, Padding.SAME)
        .globalAvgPool().dense(2).build()) {
      model.save(dir);
      OlderModelFiles.removeSpecFields(dir, "groups", "dilation", "dilationWidth");
      assertFalse(Files.readString(dir.resolve("model.json")).contains("dilation"));
      try (Cnn back = Cnn.load(dir)) {
        assertEquals(model.architecture(), back.architecture());
      }
    }
  }
}
