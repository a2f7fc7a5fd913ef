package org.fwprune.pruning.structured;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.FloatAsserts;
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

  /** Asserts that two models predict the same on {@code data}, within 1e-5 (float32 graphs). */
  static void assertSamePredictions(Cnn expected, Cnn actual, Dataset data) {
    float[][] e = expected.predict(data);
    float[][] a = actual.predict(data);
    for (int i = 0; i < e.length; i++) {
      FloatAsserts.assertClose(e[i], a[i], FloatAsserts.GRAPH_TOLERANCE);
    }
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

  /**
   * A copy of {@code model} in which the channels not in {@code kept} (keyed by a producer of their
   * group) are zeroed in every member of the group: the producers' kernel columns and biases, the
   * BatchNorms' gamma and beta, the PReLUs' alpha, the depthwise members' filters and biases. The channel is then zero at every tensor of the group. The kept
   * channels' kernels and biases are multiplied by the group's scale, if any.
   */
  static Cnn zeroedCopy(Cnn model, Map<String, List<Integer>> kept, Map<String, Double> scales) {
    Cnn copy = model.copy();
    Architecture a = copy.architecture();
    ChannelGroups groups = ChannelGroups.of(a);
    Map<String, float[]> params = copy.parameters();
    Map<String, float[]> changed = new LinkedHashMap<>();
    kept.forEach((name, filters) -> {
      ChannelGroups.Group g = groups.prunableGroupOf(name);
      float scale = scales.getOrDefault(name, 1.0).floatValue();
      List<String> keys = new ArrayList<>();
      for (String p : g.producers()) {
        keys.add(a.layer(p).kernelKey());
        if (a.layer(p).spec().hasBias()) {
          keys.add(a.layer(p).biasKey());
        }
      }
      for (String norm : g.norms()) {
        // A BatchNorm's gamma and beta, a LayerScale's gamma, a PReLU's alpha.
        for (LayerVariable v : a.layer(norm).variables()) {
          if (List.of(LayerVariable.Role.GAMMA, LayerVariable.Role.BETA,
              LayerVariable.Role.ALPHA).contains(v.role())) {
            keys.add(v.key());
          }
        }
      }
      for (String d : g.depthwise()) {
        // [k, k, channels, 1]: entry i is channel i % channels' filter.
        keys.add(a.layer(d).kernelKey());
        if (a.layer(d).spec().hasBias()) {
          keys.add(a.layer(d).biasKey());
        }
      }
      for (String key : keys) {
        float[] values = params.get(key);
        float s = key.endsWith("/kernel") || key.endsWith("/bias") ? scale : 1f;
        for (int i = 0; i < values.length; i++) {
          values[i] = filters.contains(i % g.channels()) ? values[i] * s : 0f;
        }
        changed.put(key, values);
      }
    });
    copy.setParameters(changed);
    return copy;
  }

  /**
   * Random gamma in [0.5, 1.5], beta and moving mean in [-0.5, 0.5], moving variance in
   * [0.5, 2.5] for every BatchNorm, and random biases: so that slicing each of them is tested.
   */
  static void randomNormsAndBiases(Cnn model, long seed) {
    randomBiases(model, seed);
    Random random = new Random(seed + 1);
    Map<String, float[]> values = new LinkedHashMap<>();
    model.parameters().forEach((key, v) -> {
      float low = key.endsWith("/gamma") ? 0.5f : key.endsWith("/moving_variance") ? 0.5f : -0.5f;
      float width = key.endsWith("/moving_variance") ? 2f : 1f;
      if (key.endsWith("/gamma") || key.endsWith("/beta") || key.endsWith("/moving_mean")
          || key.endsWith("/moving_variance")) {
        float[] r = new float[v.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = low + width * random.nextFloat();
        }
        values.put(key, r);
      }
    });
    model.setParameters(values);
  }

  /**
   * Every block type of residual networks in one network, input 12x12x3, 3 classes: a stem conv
   * with bias and BatchNorm, an identity block, a stride-2 block with a 1x1 projection shortcut,
   * average pooling, an identity block without BatchNorm after a conv with bias, max pooling,
   * and then global average pooling to a hidden dense layer, or (when {@code flatten}) a flatten.
   */
  static Cnn residual(long seed, boolean flatten) {
    Cnn.Builder b = Cnn.builder().input(12, 12, 3)
        .conv2d(8, 3, 1, Padding.SAME, true).batchNorm().relu()
        .residual(x -> x.conv2d(5, 3, 1, Padding.SAME, false).batchNorm().relu()
            .conv2d(8, 3, 1, Padding.SAME, false).batchNorm())
        .relu()
        .residual(x -> x.conv2d(6, 3, 2, Padding.SAME, false).batchNorm().relu()
                .conv2d(10, 3, 1, Padding.SAME, false).batchNorm(),
            s -> s.conv2d(10, 1, 2, Padding.SAME, false).batchNorm())
        .relu().avgPool(2)
        .conv2d(7, 3, 1, Padding.SAME, true).relu()
        .residual(x -> x.conv2d(7, 1, 1, Padding.SAME, true))
        .maxPool(1);
    b = flatten ? b.flatten().dropout(0.1) : b.globalAvgPool();
    return b.dense(6).relu().dense(3).softmax().seed(seed).build();
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
