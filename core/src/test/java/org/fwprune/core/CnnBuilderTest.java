package org.fwprune.core;

import static org.fwprune.core.testing.TextAsserts.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CnnBuilderTest {

  /** Every kind of layer with the type name Keras gives it (keras.layers, layer.name prefixes). */
  static Stream<Arguments> kerasTypeNames() {
    return Stream.of(
        Arguments.of(new LayerSpec.Conv2d(4, 3, 1, Padding.VALID), "conv2d"),
        Arguments.of(new LayerSpec.BatchNorm(), "batch_normalization"),
        Arguments.of(new LayerSpec.Relu(), "re_lu"),
        Arguments.of(new LayerSpec.MaxPool(2, 2), "max_pooling2d"),
        Arguments.of(new LayerSpec.AvgPool(2, 2), "average_pooling2d"),
        Arguments.of(new LayerSpec.GlobalAvgPool(), "global_average_pooling2d"),
        Arguments.of(new LayerSpec.Flatten(), "flatten"),
        Arguments.of(new LayerSpec.Dropout(0.5), "dropout"),
        Arguments.of(new LayerSpec.Dense(10), "dense"),
        Arguments.of(new LayerSpec.Softmax(), "softmax"),
        Arguments.of(new LayerSpec.Add(), "add"),
        Arguments.of(new LayerSpec.ZeroPadding(0, 1, 0, 1), "zero_padding2d"),
        Arguments.of(new LayerSpec.DepthwiseConv2d(3, 1, Padding.SAME, 1, false),
            "depthwise_conv2d"),
        Arguments.of(new LayerSpec.Nonlinearity(Activation.SWISH), "activation"),
        Arguments.of(new LayerSpec.Concat(), "concatenate"),
        Arguments.of(new LayerSpec.Multiply(), "multiply"),
        Arguments.of(new LayerSpec.Reshape(List.of(1, 1, 4)), "reshape"),
        Arguments.of(new LayerSpec.Rescaling(0.5, 1), "rescaling"),
        Arguments.of(new LayerSpec.Normalization(), "normalization"),
        Arguments.of(new LayerSpec.LayerNorm(1e-6), "layer_normalization"),
        Arguments.of(new LayerSpec.LayerScale(), "layer_scale"),
        Arguments.of(new LayerSpec.Cropping(1, 0, 1, 0), "cropping2d"),
        Arguments.of(new LayerSpec.GlobalMaxPool(true), "global_max_pooling2d"),
        Arguments.of(new LayerSpec.Maximum(), "maximum"),
        Arguments.of(new LayerSpec.PRelu(), "p_re_lu"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("kerasTypeNames")
  void typeName_isKerasSnakeCaseOfDisplayName(LayerSpec spec, String expected) {
    assertEquals(expected, spec.typeName(), spec.displayName());
  }

  @Test
  void kerasTypeNames_coverEveryKindOfLayer() {
    java.util.Set<Class<?>> listed = new java.util.HashSet<>();
    kerasTypeNames().forEach(a -> listed.add(a.get()[0].getClass()));
    assertEquals(java.util.Set.of(LayerSpec.class.getPermittedSubclasses()), listed);
  }

  @Test
  void paperNetwork_hasExactly34826Parameters() {
    try (Cnn model = SyntheticData.paperCnn(42)) {
      assertEquals(34_826, model.parameterCount());
      // conv 3*3*1*32+32, conv 3*3*32*64+64, dense 1600*10+10 (hand computation).
      assertEquals(34_826, model.parameters().values().stream().mapToInt(a -> a.length).sum());
    }
  }

  @Test
  void summary_listsLayersShapesAndTotal() {
    try (Cnn model = SyntheticData.paperCnn(42)) {
      assertContainsAll(model.summary(), "conv2d_2 (Conv2D)", "(None, 5, 5, 64)", "18,496",
          "Total params: 34,826");
    }
  }

  @Test
  void parameters_areKeyedByLayerAndRole() {
    try (Cnn model = SyntheticData.paperCnn(1)) {
      assertEquals(java.util.List.of("conv2d_1/kernel", "conv2d_1/bias", "conv2d_2/kernel",
          "conv2d_2/bias", "dense_1/kernel", "dense_1/bias"),
          java.util.List.copyOf(model.parameters().keySet()));
    }
  }

  @Test
  void initialisation_isGlorotUniformWithZeroBiases() {
    try (Cnn model = SyntheticData.paperCnn(7)) {
      // conv2d_2: fan_in 3*3*32 = 288, fan_out 3*3*64 = 576, limit sqrt(6/864) = 0.0833.
      float[] kernel = model.parameters().get("conv2d_2/kernel");
      double max = 0;
      double min = 0;
      double sum = 0;
      for (float v : kernel) {
        max = Math.max(max, v);
        min = Math.min(min, v);
        sum += v;
      }
      assertTrue(max <= Math.sqrt(6.0 / 864) && max > 0.08, "max w = " + max);
      assertTrue(min >= -Math.sqrt(6.0 / 864) && min < -0.08, "min w = " + min);
      // Mean of 18,432 draws of U(-a, a): standard error a / sqrt(3 * 18432) = 3.5e-4.
      assertEquals(0, sum / kernel.length, 2e-3);
      for (float b : model.parameters().get("conv2d_2/bias")) {
        assertEquals(0f, b);
      }
    }
  }

  @Test
  void sameSeed_givesSameWeights() {
    try (Cnn a = SyntheticData.paperCnn(3); Cnn b = SyntheticData.paperCnn(3);
        Cnn c = SyntheticData.paperCnn(4)) {
      assertTrue(java.util.Arrays.equals(a.parameters().get("dense_1/kernel"),
          b.parameters().get("dense_1/kernel")));
      assertTrue(!java.util.Arrays.equals(a.parameters().get("dense_1/kernel"),
          c.parameters().get("dense_1/kernel")));
    }
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(0, 28, 1), "input height must be in [1, 16384], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(28, -1, 1), "input width must be in [1, 16384], got -1"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(28, 28, 0), "input channels must be in [1, 16384], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.conv2d(0, 3), "conv2d filters must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.conv2d(8, 0), "conv2d kernel size must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.conv2d(8, 3, 0, Padding.SAME), "conv2d stride must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.conv2d(8, 3, 1, null), "conv2d padding must be VALID or SAME, got null"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.groupedConv2d(6, 3, 1, Padding.SAME, 4, false), "conv2d filters must be a multiple of groups (4), got 6"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.groupedConv2d(6, 3, 1, Padding.SAME, 0, false), "conv2d groups must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.dilatedConv2d(4, 3, 0, Padding.SAME, true), "conv2d dilation must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.conv2d(new LayerSpec.Conv2d(4, 3, 2, Padding.SAME, true, 3, 2, 1, 2, 2)), "conv2d with dilation 2x2 must have stride 1x1, got 2x2"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.depthwiseConv2d(new LayerSpec.DepthwiseConv2d(3, 2, Padding.SAME, 1, false, 2)), "depthwiseConv2d with dilation 2 must have stride 1, got 2"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.dilatedDepthwiseConv2d(3, 0, Padding.SAME), "depthwiseConv2d dilation must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.maxPool(0), "maxPool size must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.dropout(1.0), "dropout rate must be in [0, 1), got 1.0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.dropout(-0.1), "dropout rate must be in [0, 1), got -0.1"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.dense(0), "dense units must be in [1, 65536], got 0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.cropping(0, -1, 0, 0), "cropping bottom must be in [0, 65536], got -1"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.layerNormalization(0), "layerNorm epsilon must be in (0, 1], got 0.0"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.threads(-1, 0), "intra-op threads must be in [0, 1024], got -1"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void setter_outOfRange_throwsWithAllowedRange(Consumer<Cnn.Builder> call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call.accept(Cnn.builder()));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> badLayerSequences() {
    return Stream.of(
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(28, 28, 1).conv2d(4, 3).dense(10),
            "the last layer must output a vector of class scores, got 26x26x10; end with"
                + " dense(classes) after flatten() or globalAvgPool()"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(4, 4, 1).conv2d(4, 5).flatten().dense(2),
            "conv2d_1: kernel 5 does not fit its 4x4 input with VALID padding"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 3)
                .groupedConv2d(4, 3, 1, Padding.SAME, 2, false).flatten().dense(2),
            "conv2d_1: groups (2) must divide both its 3 input channels and its 4 filters"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 1).flatten().dense(4).softmax().dense(2),
            "softmax_1 must be the last layer"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 1).conv2d(4, 3),
            "the last layer must output a vector of class scores, got 6x6x4; end with dense(classes)"
                + " after flatten() or globalAvgPool()"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(4, 4, 1).cropping(2, 2, 0, 1).flatten().dense(2),
            "cropping2d_1: cropping 4 rows and 1 columns leaves nothing of its 4x4x1 input"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 1).flatten().conv2d(2, 1),
            "conv2d_1 needs a height x width x channels input but gets the flat 64"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 1).flatten().globalMaxPool()
                .dense(2),
            "global_max_pooling2d_1 needs a height x width x channels input but gets the flat 64"),
        Arguments.of((Consumer<Cnn.Builder>) b -> b.input(8, 8, 1).conv2d(4, 3, 1, Padding.SAME)
                .maximum(x -> x.conv2d(8, 1)).globalMaxPool().dense(2),
            "maximum_1 cannot take the maximum of 8x8x4 (from conv2d_1) and 8x8x8 (from conv2d_2):"
                + " the shapes must be equal"));
  }

  @ParameterizedTest
  @MethodSource("badLayerSequences")
  void build_inconsistentLayers_throwsNamingLayerAndShape(Consumer<Cnn.Builder> layers,
      String message) {
    Cnn.Builder builder = Cnn.builder();
    layers.accept(builder);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertEquals(message, e.getMessage());
  }

  @Test
  void build_withoutInput_throwsIllegalState() {
    assertThrows(IllegalStateException.class, () -> Cnn.builder().dense(2).build());
  }

  @Test
  void samePadding_keepsSpatialSize() {
    try (Cnn model = Cnn.builder().input(9, 9, 3).conv2d(5, 3, 2, Padding.SAME).flatten()
        .dense(2).build()) {
      // ceil(9 / 2) = 5 per side, 5 * 5 * 5 features into 2 units.
      assertEquals(3 * 3 * 3 * 5 + 5 + 125 * 2 + 2, model.parameterCount());
    }
  }

  @Test
  void threads_areKeptByCopyAndOf() {
    try (Cnn model = Cnn.builder().input(8, 8, 1).flatten().dense(2).threads(1, 1).build();
        Cnn twin = model.copy();
        Cnn other = Cnn.of(model.architecture(), model.executionOptions())) {
      assertEquals(new ExecutionOptions.Threads(1, 1), twin.executionOptions().threads());
      assertEquals(model.executionOptions(), other.executionOptions());
    }
  }

  @Test
  void closedModel_throwsIllegalState() {
    Cnn model = SyntheticData.smallCnn(8, 2, 1);
    model.close();
    assertThrows(IllegalStateException.class, model::parameters);
    assertThrows(IllegalStateException.class,
        () -> model.evaluate(SyntheticData.bars(4, 8, 2, 1)));
    assertThrows(IllegalStateException.class, model::copy);
  }
}
