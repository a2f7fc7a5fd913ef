package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * Dilated depthwise convolutions ({@link LayerSpec.DepthwiseConv2d}'s {@code dilation}, Keras'
 * {@code dilation_rate} on {@code DepthwiseConv2D} and {@code SeparableConv2D}), checked against
 * the undilated depthwise convolution they equal: a window whose taps are {@code d} pixels apart
 * is a wider window that is zero between its taps.
 */
class DilatedDepthwiseTest {

  /** Two float32 convolutions of the same products summed in another order. */
  private static final float SAME_NETWORK = 1e-5f;

  private static final String KERNEL = "depthwise_conv2d_1/kernel";

  @TempDir
  Path tmp;

  /** Six 9x9x2 images of Gaussian pixels, seeded, labelled 0 and 1 alternately. */
  private static Dataset images() {
    java.util.Random r = new java.util.Random(6);
    float[] x = new float[6 * 9 * 9 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return Dataset.of(x, new int[] {0, 1, 0, 1, 0, 1}, 9, 9, 2, 2);
  }

  /** 9x9x2 input, a 3x3 depthwise convolution dilated 2 (multiplier 2, bias), pool, dense(2). */
  private static Cnn dilated(Padding padding) {
    return Cnn.builder().input(9, 9, 2)
        .depthwiseConv2d(new LayerSpec.DepthwiseConv2d(3, 1, padding, 2, true, 2))
        .globalAvgPool().dense(2).seed(7).build();
  }

  /** {@link #dilated}'s network with an undilated 5x5 window instead. */
  private static Cnn wide(Padding padding) {
    return Cnn.builder().input(9, 9, 2).depthwiseConv2d(5, 1, padding, 2, true).globalAvgPool()
        .dense(2).build();
  }

  /** A [3, 3, 2, 2] kernel whose taps are 2 apart as the [5, 5, 2, 2] one, zero between them. */
  private static float[] widened(float[] k) {
    float[] full = new float[5 * 5 * 4];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        System.arraycopy(k, (y * 3 + x) * 4, full, (2 * y * 5 + 2 * x) * 4, 4);
      }
    }
    return full;
  }

  /** The taps of a [5, 5, 2, 2] kernel: {@link #widened} undone. */
  private static float[] taps(float[] full) {
    float[] k = new float[3 * 3 * 4];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        System.arraycopy(full, (2 * y * 5 + 2 * x) * 4, k, (y * 3 + x) * 4, 4);
      }
    }
    return k;
  }

  /** {@code model}'s parameters with {@code kernel} as its depthwise kernel. */
  private static Map<String, float[]> withKernel(Cnn model, float[] kernel) {
    Map<String, float[]> p = new HashMap<>(model.parameters());
    p.put(KERNEL, kernel);
    return p;
  }

  @Test
  void dilatedDepthwise_predicts_asWiderDepthwiseZeroBetweenTaps() {
    try (Cnn dilated = dilated(Padding.SAME); Cnn wide = wide(Padding.SAME)) {
      wide.setParameters(withKernel(dilated, widened(dilated.parameters().get(KERNEL))));
      FloatAsserts.assertClose(FloatAsserts.flatten(wide.predict(images())),
          FloatAsserts.flatten(dilated.predict(images())), SAME_NETWORK);
    }
  }

  @Test
  void dilatedDepthwise_fit_updatesTheTapsAsTheWiderDepthwise() {
    // One step on the same batch: the wider kernel's taps get the dilated kernel's gradient, so
    // both kernels agree there afterwards (elementwise optimizer updates).
    try (Cnn dilated = dilated(Padding.VALID); Cnn wide = wide(Padding.VALID)) {
      float[] before = dilated.parameters().get(KERNEL);
      wide.setParameters(withKernel(dilated, widened(before)));
      Training oneStep = Training.builder().batchSize(6).steps(1).shuffle(false).build();
      dilated.fit(images(), oneStep);
      wide.fit(images(), oneStep);
      float[] after = dilated.parameters().get(KERNEL);
      assertFalse(Arrays.equals(before, after), "the dilated kernel did not change");
      FloatAsserts.assertClose(taps(wide.parameters().get(KERNEL)), after, SAME_NETWORK);
    }
  }

  @Test
  void dilatedDepthwise_valid_shrinksByTheDilatedSpan() {
    // 3 taps 3 apart span 7 pixels: 9 - 7 + 1 = 3 positions per side, 2 channels.
    try (Cnn model = Cnn.builder().input(9, 9, 2).dilatedDepthwiseConv2d(3, 3, Padding.VALID)
        .flatten().dense(2).build()) {
      assertEquals(List.of(3, 3, 2),
          model.architecture().layer("depthwise_conv2d_1").outputShape());
    }
  }

  @Test
  void dilatedSeparable_isADilatedDepthwiseThenAPointwiseConv() {
    LayerSpec.DepthwiseConv2d depthwise =
        new LayerSpec.DepthwiseConv2d(3, 1, Padding.SAME, 1, false, 2);
    try (Cnn model = Cnn.builder().input(9, 9, 2).separableConv2d(4, depthwise, true)
        .globalAvgPool().dense(2).build()) {
      assertEquals(depthwise, model.architecture().layer("depthwise_conv2d_1").spec());
      assertEquals(List.of(9, 9, 4), model.architecture().layer("conv2d_1").outputShape());
    }
  }

  @Test
  void dilatedDepthwise_saveAndLoad_keepsTheDilation() throws IOException {
    try (Cnn model = dilated(Padding.SAME)) {
      model.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        assertEquals(model.architecture().layer("depthwise_conv2d_1").spec(),
            back.architecture().layer("depthwise_conv2d_1").spec());
      }
    }
  }

  @Test
  void load_depthwiseWithoutDilation_readsDilationOne() throws IOException {
    // Files written before the option existed have no dilation field.
    Path dir = tmp.resolve("old");
    try (Cnn model = Cnn.builder().input(9, 9, 2).depthwiseConv2d(3, 1, Padding.SAME)
        .globalAvgPool().dense(2).build()) {
      model.save(dir);
      OlderModelFiles.removeSpecFields(dir, "dilation");
      assertFalse(Files.readString(dir.resolve("model.json")).contains("dilation"));
      try (Cnn back = Cnn.load(dir)) {
        assertEquals(model.architecture(), back.architecture());
      }
    }
  }
}
