package org.fwprune.pruning.structured;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;

/** Small models and data shared by the structured-pruning tests. */
final class Models {

  static final Dataset TRAIN = SyntheticData.bars(512, 8, 4, 1);
  static final Dataset VALIDATION = SyntheticData.bars(200, 8, 4, 2);

  private Models() {}

  /**
   * Every kind of slicing in one network: conv -> conv (SAME padding), conv -> pool -> flatten ->
   * dense, dense -> dense. Input 10x10x2, 3 classes.
   */
  static Cnn mixed(long seed) {
    return Cnn.builder().input(10, 10, 2)
        .conv2d(6, 3).relu()
        .conv2d(5, 3, 1, Padding.SAME).relu().maxPool(2)
        .flatten().dropout(0.2)
        .dense(7).relu()
        .dense(3).softmax()
        .seed(seed).build();
  }

  /** Kept filters of {@link #mixed}: given out of order on purpose. */
  static Map<String, List<Integer>> mixedKept() {
    Map<String, List<Integer>> kept = new LinkedHashMap<>();
    kept.put("conv2d_1", List.of(5, 0, 2));
    kept.put("conv2d_2", List.of(4, 1));
    kept.put("dense_1", List.of(0, 3, 6));
    return kept;
  }

  /** Gives every bias random values (they start at zero) so that slicing them is tested too. */
  static void randomBiases(Cnn model, long seed) {
    Random random = new Random(seed);
    Map<String, float[]> biases = new LinkedHashMap<>();
    model.parameters().forEach((key, values) -> {
      if (key.endsWith("/bias")) {
        float[] b = new float[values.length];
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) random.nextGaussian() * 0.1f;
        }
        biases.put(key, b);
      }
    });
    model.setParameters(biases);
  }

  /** Random images for a model's input, with labels below {@code classes}. */
  static Dataset randomImages(int n, int side, int channels, int classes, long seed) {
    Random random = new Random(seed);
    float[] images = new float[n * side * side * channels];
    int[] labels = new int[n];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(classes);
    }
    return Dataset.of(images, labels, side, side, channels, classes);
  }

  /** A copy of {@code model} with the filters not in {@code kept} zeroed (kernel and bias). */
  static Cnn zeroedCopy(Cnn model, Map<String, List<Integer>> kept, Map<String, Double> scales) {
    Cnn copy = model.copy();
    Map<String, float[]> params = copy.parameters();
    Map<String, float[]> changed = new LinkedHashMap<>();
    kept.forEach((layer, filters) -> {
      float[] kernel = params.get(layer + "/kernel");
      float[] bias = params.get(layer + "/bias");
      int out = bias.length;
      float scale = scales.getOrDefault(layer, 1.0).floatValue();
      for (int i = 0; i < kernel.length; i++) {
        kernel[i] = filters.contains(i % out) ? kernel[i] * scale : 0f;
      }
      for (int o = 0; o < out; o++) {
        bias[o] = filters.contains(o) ? bias[o] * scale : 0f;
      }
      changed.put(layer + "/kernel", kernel);
      changed.put(layer + "/bias", bias);
    });
    copy.setParameters(changed);
    return copy;
  }

  /**
   * A trained network on the bars task with a prunable conv layer (8 filters) and a prunable
   * hidden dense layer (16 units).
   */
  static Cnn trainedBars(long seed) {
    Cnn model = Cnn.builder().input(8, 8, 1)
        .conv2d(8, 3).relu().maxPool(2)
        .flatten()
        .dense(16).relu()
        .dense(4).softmax()
        .seed(seed).build();
    model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).epochs(3)
        .seed(seed).build());
    return model;
  }
}
