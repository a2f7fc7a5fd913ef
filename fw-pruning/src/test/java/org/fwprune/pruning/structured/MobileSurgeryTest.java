package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.fwprune.pruning.MagnitudePruner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Channel groups and their exact removal in the layers of the mobile families (MobileNetV2's
 * inverted residual block, MobileNetV3's squeeze-and-excitation, Xception's separable
 * convolution), and the refusal to cut through couplings the analysis does not follow.
 */
class MobileSurgeryTest {

  private static final Dataset IMAGES = Models.randomImages(20, 12, 3, 3, 31);

  /**
   * An inverted residual block with a depthwise convolution (with a bias), hard-swish and a
   * squeeze-and-excitation gate (sigmoid), then a separable convolution: input 12x12x3, 3 classes.
   */
  static Cnn mobile(long seed) {
    return Cnn.builder().input(12, 12, 3)
        .conv2d(8, 3, 2, Padding.SAME, false).batchNorm().relu6()
        .residual(b -> b.conv2d(16, 1, 1, Padding.VALID, false).batchNorm().relu6()
            .depthwiseConv2d(3, 1, Padding.SAME, 1, true).batchNorm()
            .activation(Activation.HARD_SWISH).squeezeExcite(16, 4)
            .conv2d(8, 1, 1, Padding.VALID, false).batchNorm())
        .separableConv2d(10, 3, 1, Padding.SAME, true).relu()
        .globalAvgPool().dense(3).seed(seed).build();
  }

  @Test
  void groups_depthwiseAndGate_joinTheExpansionGroup() {
    try (Cnn model = mobile(0)) {
      ChannelGroups.Group g = ChannelGroups.of(model.architecture()).groupOf("conv2d_2")
          .orElseThrow();
      // The expansion conv and the gate's second conv (its channels multiply the block's).
      assertEquals(List.of("conv2d_2", "conv2d_4"), g.producers());
      assertEquals(List.of("depthwise_conv2d_1"), g.depthwise());
      assertTrue(g.prunable(), g.whole().orElse(""));
    }
  }

  /**
   * The exactness claim on these layers: the smaller network's predictions equal, within 1e-5
   * (float32 graph results), the original's with every removed channel zeroed in each member of
   * its group (kernel columns and biases, BatchNorm gamma and beta, depthwise filters and biases).
   * BatchNorm statistics and every bias are random.
   */
  @Test
  void shrink_mobileBlocks_predictionsEqualOriginalWithRemovedChannelsZeroed() {
    for (long seed = 0; seed < 2; seed++) {
      try (Cnn model = mobile(seed)) {
        Models.randomNormsAndBiases(model, seed + 10);
        Map<String, List<Integer>> kept = ResidualSurgeryTest.randomKept(model.architecture(),
            seed + 20);
        Models.assertShrinkIsExact(model, kept, IMAGES);
      }
    }
  }

  /**
   * A reshape of the channel vector to 1 x 1 x C (EfficientNet's squeeze-and-excitation) carries
   * the group: the smaller network's reshape has the kept channel count, and it predicts what the
   * original predicts with the removed channels zeroed (within 1e-5).
   */
  @Test
  void shrink_reshapedChannelVector_reshapeFollowsTheGroup() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).conv2d(8, 3, 1, Padding.SAME, true).relu()
        .globalAvgPool().reshape(1, 1, 8).conv2d(4, 1).flatten().dense(3).seed(2).build()) {
      Models.randomNormsAndBiases(model, 7);
      Map<String, List<Integer>> kept = Map.of("conv2d_1", List.of(1, 4, 6));
      try (Cnn small = FilterSurgery.shrink(model, kept);
          Cnn zeroed = Models.zeroedCopy(model, kept, Map.of())) {
        assertEquals(List.of(1, 1, 3), small.architecture().layer("reshape_1").outputShape());
        Models.assertSamePredictions(zeroed, small, IMAGES);
      }
    }
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("depth multiplier", (UnaryOperator<Cnn.Builder>) b -> b
            .depthwiseConv2d(3, 1, Padding.SAME, 2, false), "conv2d_1",
            "depthwise_conv2d_1 multiplies each channel into 2"),
        Arguments.of("sigmoid before a conv", (UnaryOperator<Cnn.Builder>) b -> b
            .activation(Activation.SIGMOID), "conv2d_1",
            "conv2d_2 reads them shifted from zero by activation_1"),
        Arguments.of("reshape of the image", (UnaryOperator<Cnn.Builder>) b -> b
            .reshape(16, 4, 4), "conv2d_1", "reshape_1 reshapes [8, 8, 4] to [16, 4, 4]"),
        Arguments.of("layer normalisation", (UnaryOperator<Cnn.Builder>) b -> b
            .layerNormalization(), "conv2d_1",
            "layer_normalization_1 normalises over all its input's channels"),
        Arguments.of("grouped convolution", (UnaryOperator<Cnn.Builder>) b -> b
            .groupedConv2d(4, 3, 1, Padding.SAME, 2, false), "conv2d_1",
            "conv2d_2 groups its channels (groups 2), which structured pruning does not follow"));
  }

  /**
   * Structured pruning never cuts through a coupling it does not follow: the group is left whole
   * and the message names the layer.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void prunableGroupOf_unfollowedCoupling_refusesNamingTheLayer(String name,
      UnaryOperator<Cnn.Builder> middle, String producer, String reason) {
    Architecture a = middle.apply(Cnn.builder().input(8, 8, 2)
        .conv2d(4, 3, 1, Padding.SAME, true)).conv2d(5, 3, 1, Padding.SAME, true)
        .globalAvgPool().dense(3).architecture();
    String message = assertThrows(IllegalArgumentException.class,
        () -> ChannelGroups.of(a).prunableGroupOf(producer)).getMessage();
    assertTrue(message.contains(reason), message);
  }

  /**
   * Unstructured pruning masks depthwise and pointwise kernels like any other, and never a
   * BatchNorm's or normalisation's tensors: only kernels have masks.
   */
  @Test
  void magnitudePruner_mobileNet_prunesDepthwiseKernelsNotNorms() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).normalization()
        .conv2d(8, 3, 2, Padding.SAME, false).batchNorm().relu6()
        .separableConv2d(10, 3, 1, Padding.SAME, true).relu()
        .globalAvgPool().dense(3).seed(3).build()) {
      MagnitudePruner.builder().targetSparsity(0.5).mode(MagnitudePruner.Mode.ONE_SHOT)
          .steps(0).seed(5).build().prune(model, IMAGES);
      assertEquals(List.of("conv2d_1/kernel", "depthwise_conv2d_1/kernel", "conv2d_2/kernel",
          "dense_1/kernel"), List.copyOf(model.masks().keySet()));
      long zeros = 0;
      for (float v : model.parameters().get("depthwise_conv2d_1/kernel")) {
        zeros += v == 0 ? 1 : 0;
      }
      assertTrue(zeros > 0, "the depthwise kernel keeps all its entries");
    }
  }

  /**
   * Unstructured pruning masks a grouped, dilated kernel ({@code [3, 3, in / groups, filters]})
   * like any other: its mask has the grouped shape and one-shot pruning to 50% zeroes some of
   * its entries.
   */
  @Test
  void magnitudePruner_groupedDilatedConv_prunesItsKernel() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).conv2d(8, 3, 2, Padding.SAME, false)
        .conv2d(new LayerSpec.Conv2d(8, 3, 1, Padding.SAME, true, 3, 1, 4, 2, 2)).relu()
        .globalAvgPool().dense(3).seed(3).build()) {
      MagnitudePruner.builder().targetSparsity(0.5).mode(MagnitudePruner.Mode.ONE_SHOT)
          .steps(0).seed(5).build().prune(model, IMAGES);
      float[] kernel = model.parameters().get("conv2d_2/kernel");
      assertEquals(3 * 3 * 2 * 8, kernel.length);
      long zeros = 0;
      for (float v : kernel) {
        zeros += v == 0 ? 1 : 0;
      }
      assertTrue(zeros > 0, "the grouped kernel keeps all its entries");
    }
  }
}
