package org.fwprune.core;

import static org.fwprune.core.testing.TextAsserts.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Node;
import org.fwprune.core.model.Padding;
import org.fwprune.core.runtime.internal.ServedModel;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GraphNetworkTest {

  private static final Dataset TRAIN = SyntheticData.bars(256, 8, 4, 1);
  private static final Dataset PROBE = SyntheticData.bars(32, 8, 4, 2);

  @TempDir
  Path tmp;

  /** Every kind of layer but flatten and dropout: BatchNorm, both residual kinds, both poolings. */
  static Cnn.Builder residualNet() {
    return Cnn.builder().input(8, 8, 1)
        .conv2d(4, 3, 1, Padding.SAME, false).batchNorm().relu()
        .residual(b -> b.conv2d(4, 3, 1, Padding.SAME, false).batchNorm().relu()
            .conv2d(4, 3, 1, Padding.SAME, false).batchNorm())
        .relu()
        .residual(b -> b.conv2d(8, 3, 2, Padding.SAME, false).batchNorm(),
            s -> s.conv2d(8, 1, 2, Padding.SAME, false).batchNorm())
        .relu().maxPool(2, 1).avgPool(2, 1)
        .globalAvgPool().dense(6, false).relu().dense(4).softmax().seed(3);
  }

  /** The paper's kind of chain: flatten and dropout. */
  static Cnn.Builder chainNet() {
    return Cnn.builder().input(8, 8, 1).conv2d(4, 3).relu().maxPool(2).flatten().dropout(0.25)
        .dense(4).softmax().seed(5);
  }

  /**
   * The layers of the Keras Applications families: rescaling, normalisation, asymmetric padding,
   * ReLU6, depthwise and separable convolutions, squeeze-and-excitation, concatenation, SAME
   * pooling, keepdims pooling and reshape.
   */
  static Cnn.Builder mobileNet() {
    return Cnn.builder().input(8, 8, 1).rescaling(2, -1).normalization().zeroPadding(0, 1, 0, 1)
        .conv2d(8, 3, 2, Padding.VALID, false).batchNorm().relu6()
        .depthwiseConv2d(3, 1, Padding.SAME).batchNorm().activation(Activation.HARD_SWISH)
        .squeezeExcite(8, 2)
        .concat(b -> b.separableConv2d(4, 3, 1, Padding.SAME, true).relu(6, 0.1, 0))
        .maxPool(3, 2, Padding.SAME).avgPool(2, 1, Padding.SAME)
        .globalAvgPool(true).reshape(12).dense(4).softmax().seed(7);
  }

  /**
   * ConvNeXt's layers: a patchify stem with LayerNormalization, a block with a depthwise
   * convolution, dense layers on the image, GELU and LayerScale, NASNet's pad-then-crop shift, and
   * LayerNormalization of the pooled vector.
   */
  static Cnn.Builder convNext() {
    return Cnn.builder().input(8, 8, 1).conv2d(4, 2, 2, Padding.VALID, true)
        .layerNormalization(1e-6)
        .residual(b -> b.depthwiseConv2d(3, 1, Padding.SAME).layerNormalization(1e-6).dense(16)
            .activation(Activation.GELU).dense(4).layerScale())
        .zeroPadding(0, 1, 0, 1).cropping(1, 0, 1, 0)
        .globalAvgPool().layerNormalization().dense(4).softmax().seed(9);
  }

  /** An element-wise maximum of two branches, PReLU and global max pooling with keepdims. */
  static Cnn.Builder maximumNet() {
    return Cnn.builder().input(8, 8, 1).conv2d(4, 3, 1, Padding.SAME, true)
        .maximum(b -> b.conv2d(4, 1, 1, Padding.VALID, true).relu()).prelu()
        .globalMaxPool(true).flatten().dense(4).softmax().seed(11);
  }

  static Stream<Arguments> fixtures() {
    return Stream.of(Arguments.of("residual", (Supplier<Cnn.Builder>) GraphNetworkTest::residualNet),
        Arguments.of("chain", (Supplier<Cnn.Builder>) GraphNetworkTest::chainNet),
        Arguments.of("mobile", (Supplier<Cnn.Builder>) GraphNetworkTest::mobileNet),
        Arguments.of("convnext", (Supplier<Cnn.Builder>) GraphNetworkTest::convNext),
        Arguments.of("maximum", (Supplier<Cnn.Builder>) GraphNetworkTest::maximumNet));
  }

  @Test
  void fixtures_useEveryKindOfLayer() {
    Set<Class<?>> used = new HashSet<>();
    fixtures().forEach(a -> ((Supplier<Cnn.Builder>) a.get()[1]).get().architecture().layers()
        .forEach(l -> used.add(l.getClass())));
    Set<Class<?>> all = new HashSet<>(Arrays.asList(LayerSpec.class.getPermittedSubclasses()));
    assertEquals(all, used, "a new kind of layer needs a place in these fixtures");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void saveThenLoad_isBitExactAfterTraining(String name, Supplier<Cnn.Builder> net)
      throws IOException {
    try (Cnn model = net.get().build()) {
      model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
          .batchSize(32).epochs(1).build());
      model.save(tmp.resolve(name));
      try (Cnn loaded = Cnn.load(tmp.resolve(name))) {
        assertEquals(model.architecture(), loaded.architecture());
        Map<String, float[]> expected = model.parameters();
        Map<String, float[]> actual = loaded.parameters();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
        assertArrayEquals(model.predict(PROBE), loaded.predict(PROBE));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void exportedSavedModel_matchesLibraryPredictions(String name, Supplier<Cnn.Builder> net)
      throws IOException {
    try (Cnn model = net.get().build()) {
      model.fit(TRAIN, Training.builder().batchSize(32).epochs(1).build());
      model.exportSavedModel(tmp.resolve(name));
      float[][] served = ServedModel.predict(tmp.resolve(name), PROBE);
      float[][] library = model.predict(PROBE);
      for (int i = 0; i < library.length; i++) {
        FloatAsserts.assertClose(library[i], served[i], FloatAsserts.GRAPH_TOLERANCE);
      }
    }
  }

  static Stream<Arguments> batchNormInputs() {
    // Two features as a flat vector (unfused BatchNorm) and as the two channels of a 1x1 image
    // (TensorFlow's fused kernel); an identity dense layer without bias follows.
    return Stream.of(
        Arguments.of("flat", Cnn.builder().input(1, 2, 1).flatten().batchNorm().dense(2, false),
            1, 2, 1),
        Arguments.of("image", Cnn.builder().input(1, 1, 2).batchNorm().flatten().dense(2, false),
            1, 1, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batchNormInputs")
  void batchNorm_atInference_usesMovingStatistics(String name, Cnn.Builder net, int height,
      int width, int channels) {
    try (Cnn model = net.build()) {
      model.setParameters(Map.of(
          "batch_normalization_1/gamma", new float[] {2, 0.5f},
          "batch_normalization_1/beta", new float[] {1, -1},
          "batch_normalization_1/moving_mean", new float[] {3, -2},
          "batch_normalization_1/moving_variance", new float[] {4, 0.25f},
          "dense_1/kernel", new float[] {1, 0, 0, 1}));
      Dataset x = Dataset.of(new float[] {5, 0}, new int[] {0}, height, width, channels, 2);
      // Hand computation (epsilon 1e-3): 2 (5 - 3) / sqrt(4.001) + 1 and
      // 0.5 (0 + 2) / sqrt(0.251) - 1.
      float[] expected = {(float) (2 * 2 / Math.sqrt(4.001) + 1),
          (float) (0.5 * 2 / Math.sqrt(0.251) - 1)};
      FloatAsserts.assertClose(expected, model.predict(x)[0], 1e-5f);
    }
  }

  /**
   * The parameters of {@code input(1, 2, 1)}, BatchNorm (before or after flatten), dense(2) after
   * one full-batch training step on the pixels 1, 2, 3, 6, 5, 10 as three 1x2 images.
   */
  private static Map<String, float[]> afterOneBatchNormStep(boolean normaliseImages) {
    Dataset x = Dataset.of(new float[] {1, 2, 3, 6, 5, 10}, new int[] {0, 1, 0}, 1, 2, 1, 2);
    // Without debiasing, every update is Keras' (BatchNormDebiasTest covers the warm-up).
    Cnn.Builder b = Cnn.builder().input(1, 2, 1).batchNormDebias(false);
    b = normaliseImages ? b.batchNorm().flatten() : b.flatten().batchNorm();
    try (Cnn model = b.dense(2).build()) {
      model.fit(x, Training.builder().batchSize(3).steps(1).shuffle(false).build());
      return model.parameters();
    }
  }

  @Test
  void batchNorm_trainingStep_movesStatisticsAsKerasDoes() {
    Map<String, float[]> p = afterOneBatchNormStep(false);
    // Batch means (3, 6), biased variances (8/3, 32/3); momentum 0.99:
    // moving = 0.99 * initial + 0.01 * batch, initial mean 0 and variance 1.
    FloatAsserts.assertClose(new float[] {0.03f, 0.06f},
        p.get("batch_normalization_1/moving_mean"), 1e-6f);
    FloatAsserts.assertClose(new float[] {0.99f + 0.08f / 3, 0.99f + 0.32f / 3},
        p.get("batch_normalization_1/moving_variance"), 1e-6f);
  }

  @Test
  void batchNormOfImages_trainingStep_movesStatisticsAsKerasDoes() {
    // The same pixels as one channel: image BatchNorm runs TensorFlow's fused kernel. Mean 27/6 =
    // 4.5, biased variance 175/6 - 4.5^2 = 8.91667.
    Map<String, float[]> p = afterOneBatchNormStep(true);
    FloatAsserts.assertClose(new float[] {0.045f},
        p.get("batch_normalization_1/moving_mean"), 1e-6f);
    FloatAsserts.assertClose(new float[] {0.99f + 0.0891667f},
        p.get("batch_normalization_1/moving_variance"), 1e-6f);
  }

  @Test
  void poolingAndAdd_computeWhatTheyShould() {
    // avgPool(2) of a 4x4 ramp, then the identity dense: the means of the four 2x2 windows.
    float[] ramp = new float[16];
    for (int i = 0; i < 16; i++) {
      ramp[i] = i;
    }
    Dataset image = Dataset.of(ramp, new int[] {0}, 4, 4, 1, 4);
    try (Cnn pool = Cnn.builder().input(4, 4, 1).avgPool(2).flatten().dense(4, false).build();
        Cnn gap = Cnn.builder().input(4, 4, 1).globalAvgPool().dense(4, false).build();
        Cnn add = Cnn.builder().input(4, 4, 1)
            .residual(b -> b.conv2d(1, 1, 1, Padding.SAME, false))
            .globalAvgPool().dense(4, false).build()) {
      pool.setParameters(Map.of("dense_1/kernel", identity(4)));
      FloatAsserts.assertClose(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, pool.predict(image)[0],
          1e-6f);
      gap.setParameters(Map.of("dense_1/kernel", new float[] {1, 0, 0, 0}));
      FloatAsserts.assertClose(new float[] {7.5f, 0, 0, 0}, gap.predict(image)[0], 1e-6f);
      // Block: the 1x1 convolution doubles; add: x + 2x; mean of the ramp 7.5, times 3.
      add.setParameters(Map.of("conv2d_1/kernel", new float[] {2},
          "dense_1/kernel", new float[] {1, 0, 0, 0}));
      FloatAsserts.assertClose(new float[] {22.5f, 0, 0, 0}, add.predict(image)[0], 1e-5f);
    }
  }

  private static float[] identity(int n) {
    float[] m = new float[n * n];
    for (int i = 0; i < n; i++) {
      m[i * n + i] = 1;
    }
    return m;
  }

  // Parameters are written in one batch: a wrong length anywhere is refused before any tensor
  // changes, so the valid entry given with it is not applied either (compared exactly).
  @Test
  void setParameters_oneWrongLength_refusesAndChangesNothing() {
    try (Cnn model = Cnn.builder().input(2, 2, 1).conv2d(1, 1, 1, Padding.VALID, false)
        .flatten().dense(2, false).build()) {
      Map<String, float[]> before = model.parameters();
      java.util.LinkedHashMap<String, float[]> values = new java.util.LinkedHashMap<>();
      values.put("conv2d_1/kernel", new float[] {7});
      values.put("dense_1/kernel", new float[] {1, 2, 3});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.setParameters(values));
      assertContainsAll(e.getMessage(), "dense_1/kernel", "8 entries", "3 values");
      assertArrayEquals(before.get("conv2d_1/kernel"), model.parameters().get("conv2d_1/kernel"));
    }
  }

  @Test
  void residual_shapeMismatch_throwsNamingBothShapes() {
    Cnn.Builder b = Cnn.builder().input(8, 8, 1).conv2d(4, 3, 1, Padding.SAME)
        .residual(x -> x.conv2d(8, 3, 1, Padding.SAME)).globalAvgPool().dense(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals("add_1 cannot add 8x8x8 (from conv2d_2) and 8x8x4 (from conv2d_1): the shapes"
        + " must be equal", e.getMessage());
  }

  @Test
  void residual_blockReturningAnotherBranch_isRefused() {
    Cnn.Builder b = Cnn.builder().input(8, 8, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.residual(x -> null));
    assertEquals("the residual block must return the branch it was given", e.getMessage());
  }

  @Test
  void maximum_branchNullOrAnother_isRefused() {
    Cnn.Builder b = Cnn.builder().input(8, 8, 1);
    assertEquals("branch must not be null", assertThrows(IllegalArgumentException.class,
        () -> b.maximum(null)).getMessage());
    assertEquals("the maximum branch must return the branch it was given",
        assertThrows(IllegalArgumentException.class, () -> b.maximum(x -> null)).getMessage());
  }

  /** Global max pooling with and without keepdims, and a maximum of two branches, by hand. */
  @Test
  void globalMaxPoolAndMaximum_computeTheHandValues() {
    // Pixels 1, -4, 3, 2 of a 2x2 image; the branch negates them (a 1x1 conv with weight -1), so
    // the maximum is |x| = 1, 4, 3, 2 and its global maximum 4; dense(1) copies it.
    try (Cnn model = Cnn.builder().input(2, 2, 1).maximum(x -> x.conv2d(1, 1, 1, Padding.VALID,
        false)).globalMaxPool().dense(1, false).build()) {
      model.setParameters(Map.of("conv2d_1/kernel", new float[] {-1},
          "dense_1/kernel", new float[] {1}));
      Dataset x = Dataset.of(new float[] {1, -4, 3, 2}, new int[] {0}, 2, 2, 1, 1);
      assertArrayEquals(new float[] {4}, model.predict(x)[0]);
    }
    try (Cnn model = Cnn.builder().input(2, 2, 1).globalMaxPool(true).flatten().dense(1, false)
        .build()) {
      assertEquals(List.of(1, 1, 1),
          model.architecture().layer("global_max_pooling2d_1").outputShape());
      model.setParameters(Map.of("dense_1/kernel", new float[] {1}));
      Dataset x = Dataset.of(new float[] {1, -4, 3, 2}, new int[] {0}, 2, 2, 1, 1);
      assertArrayEquals(new float[] {3}, model.predict(x)[0]);
    }
  }

  /** PReLU by hand: x above zero, alpha x below, one alpha per channel; alpha starts at 0. */
  @Test
  void prelu_computesTheHandValues() {
    try (Cnn model = Cnn.builder().input(1, 2, 2).prelu().flatten().dense(4, false).build()) {
      assertArrayEquals(new float[] {0, 0}, model.parameters().get("p_re_lu_1/alpha"));
      model.setParameters(Map.of("p_re_lu_1/alpha", new float[] {0.5f, -2},
          "dense_1/kernel", identity(4)));
      // Pixel (channel 0, channel 1): (-4, 3), (2, -1.5): 0.5 (-4), 3, 2, -2 (-1.5).
      Dataset x = Dataset.of(new float[] {-4, 3, 2, -1.5f}, new int[] {0}, 1, 2, 2, 4);
      assertArrayEquals(new float[] {-2, 3, 2, 3}, model.predict(x)[0]);
    }
  }

  static Stream<Arguments> badGraphs() {
    return Stream.of(
        Arguments.of("a node reading a later node",
            List.of(new Node("a", new LayerSpec.Flatten(), List.of("b")),
                new Node("b", new LayerSpec.Dense(2), List.of("input"))),
            "a reads b, which is not the input or a layer listed before it"),
        Arguments.of("a node not leading to the output",
            List.of(new Node("side", new LayerSpec.Relu(), List.of("input")),
                new Node("f", new LayerSpec.Flatten(), List.of("input")),
                new Node("d", new LayerSpec.Dense(2), List.of("f"))),
            "layer side does not lead to the output (d)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGraphs")
  void architecture_badGraph_isRefusedNamingTheNode(String name, List<Node> nodes,
      String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Architecture(2, 2, 1, nodes, 0));
    assertEquals(message, e.getMessage());
  }

  @Test
  void resNet20_hasThePaperSizeAndShapes() {
    Architecture r20 = Architectures.resNet(20, 28, 28, 1, 10);
    // Hand count: stem 3*3*1*16 + BN 2*16 = 176; stage 1: 3 blocks of 2 (3*3*16*16 + 32) = 14,016;
    // stage 2: 3*3*16*32 + 3*3*32*32 + 2*64 + 1*1*16*32 + 64 = 14,528, then 2 blocks of
    // 2 (3*3*32*32 + 64) = 37,120; stage 3: 3*3*32*64 + 3*3*64*64 + 2*128 + 32*64 + 128 = 57,728,
    // then 2 blocks of 2 (3*3*64*64 + 128) = 147,968; dense 64*10 + 10 = 650. Total 272,186.
    assertEquals(272_186, r20.parameterCount());
    // The stem, 18 convolutions in 9 blocks, 2 projections and the dense layer.
    assertEquals(22, r20.weightedLayers().size());
    assertEquals(List.of(7, 7, 64), r20.layer("add_9").outputShape());
    assertEquals(10, r20.numClasses());
  }

  @Test
  void resNet_depthNotSixNPlusTwo_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Architectures.resNet(21, 28, 28, 1, 10));
    assertTrue(e.getMessage().startsWith("ResNet depth must be 6n + 2"), e.getMessage());
  }

  @Test
  void summary_ofGraph_showsInputsAndNonTrainableCounts() {
    try (Cnn model = residualNet().build()) {
      assertContainsAll(model.summary(), "Connected to", "add_1 (Add)",
          "batch_normalization_3, re_lu_1", "Non-trainable params: ");
    }
  }

  @Test
  void parameters_includeBatchNormTensorsAndNoBiasWhereUseBiasIsOff() {
    try (Cnn model = residualNet().build()) {
      Set<String> keys = model.parameters().keySet();
      assertTrue(keys.containsAll(List.of("batch_normalization_1/gamma",
          "batch_normalization_1/beta", "batch_normalization_1/moving_mean",
          "batch_normalization_1/moving_variance")), keys.toString());
      assertTrue(keys.contains("conv2d_1/kernel") && !keys.contains("conv2d_1/bias"));
      assertTrue(model.masks().keySet().stream().allMatch(k -> k.endsWith("/kernel")));
    }
  }
}
