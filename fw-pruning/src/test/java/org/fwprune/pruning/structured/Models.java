package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
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

  /**
   * The exactness claim: {@code FilterSurgery.shrink(model, kept)} has fewer parameters and
   * predicts on {@code images} what {@code model} predicts with the removed channels zeroed in
   * every member of their groups ({@link #zeroedCopy}), within 1e-5 (float32 graph results).
   */
  static void assertShrinkIsExact(Cnn model, Map<String, List<Integer>> kept, Dataset images) {
    try (Cnn small = FilterSurgery.shrink(model, kept);
        Cnn zeroed = zeroedCopy(model, kept, Map.of())) {
      assertTrue(small.parameterCount() < model.parameterCount(),
          small.parameterCount() + " parameters, not fewer than " + model.parameterCount());
      assertSamePredictions(zeroed, small, images);
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
   * BatchNorms' gamma and beta, the PReLUs' alpha, the depthwise members' filters and biases, each
   * at the group's offset in the member. The channel is then zero at every tensor of the group. The kept
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
      // The zeroed tensors: producers' kernels and biases, BatchNorms' gamma and beta,
      // LayerScales' gamma, PReLUs' alpha, depthwise members' filters and biases.
      List<LayerVariable.Role> zeroed = List.of(LayerVariable.Role.KERNEL,
          LayerVariable.Role.BIAS, LayerVariable.Role.GAMMA, LayerVariable.Role.BETA,
          LayerVariable.Role.ALPHA);
      for (String member : g.members()) {
        Layer layer = a.layer(member);
        int offset = g.offsetIn(member);
        for (LayerVariable v : layer.variables()) {
          if (!zeroed.contains(v.role())) {
            continue;
          }
          // Later groups zero more of a tensor that an earlier group already changed.
          float[] values = changed.getOrDefault(v.key(), params.get(v.key()));
          // The last axis is the layer's channels ([k, k, channels, 1] for a depthwise kernel:
          // entry i is channel i % channels' filter); the group's start at its offset.
          int width = layer.channels();
          boolean kernelOrBias = v.role() == LayerVariable.Role.KERNEL
              || v.role() == LayerVariable.Role.BIAS;
          float s = kernelOrBias ? scale : 1f;
          for (int i = 0; i < values.length; i++) {
            int c = i % width - offset;
            if (c >= 0 && c < g.channels()) {
              values[i] = filters.contains(c) ? values[i] * s : 0f;
            }
          }
          changed.put(v.key(), values);
        }
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
   * Two DenseNet blocks (Huang et al. 2017) of 12x12x3 images into 3 classes: a stem of 6
   * channels, then per block layer BatchNorm, ReLU, a 1x1 bottleneck, BatchNorm, ReLU and a 3x3
   * convolution of 4 channels concatenated to the block's input; a transition (BatchNorm, ReLU,
   * 1x1 convolution, 2x2 average pooling) between the blocks.
   */
  static Cnn denseNet(long seed) {
    UnaryOperator<Cnn.Branch> layer = x -> x.batchNorm().relu()
        .conv2d(8, 1, 1, Padding.VALID, false).batchNorm().relu()
        .conv2d(4, 3, 1, Padding.SAME, false);
    return Cnn.builder().input(12, 12, 3)
        .conv2d(6, 3, 1, Padding.SAME, false).batchNorm().relu()
        .concat(layer::apply).concat(layer::apply)
        .batchNorm().relu().conv2d(7, 1, 1, Padding.VALID, false).avgPool(2)
        .concat(layer::apply)
        .batchNorm().relu().globalAvgPool().dense(3).seed(seed).build();
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
