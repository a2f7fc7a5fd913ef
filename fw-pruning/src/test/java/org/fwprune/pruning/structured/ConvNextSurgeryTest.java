package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.Padding;
import org.junit.jupiter.api.Test;

/**
 * Channel groups and their exact removal in ConvNeXt's layers: dense layers on images (pointwise
 * convolutions), LayerScale, LayerNormalization and cropping; and an element-wise maximum with
 * global max pooling.
 */
class ConvNextSurgeryTest {

  private static final Dataset IMAGES = Models.randomImages(20, 12, 3, 3, 41);

  /**
   * A ConvNeXt block (7x7 depthwise convolution, LayerNormalization, dense 4x expansion on the
   * image, GELU, dense projection, LayerScale, residual add) after a strided stem, then a 1x1
   * convolution with a LayerScale, ReLU and a one-sided cropping before the head: input 12x12x3,
   * 3 classes.
   */
  static Cnn convNext(long seed) {
    return Cnn.builder().input(12, 12, 3)
        .conv2d(8, 3, 2, Padding.SAME, true)
        .residual(b -> b.depthwiseConv2d(7, 1, Padding.SAME, 1, true).layerNormalization(1e-6)
            .dense(32).activation(Activation.GELU).dense(8).layerScale())
        .conv2d(6, 1, 1, Padding.VALID, true).layerScale().relu().cropping(1, 0, 1, 0)
        .globalAvgPool().dense(3).seed(seed).build();
  }

  /**
   * An element-wise maximum joins its inputs' groups like a sum (max(0, 0) = 0), a PReLU's
   * slopes (random, of both signs) are sliced with the channels and global max pooling carries
   * them: the joined group shrinks exactly (within 1e-5).
   */
  @Test
  void shrink_maximumPreluAndGlobalMaxPool_predictionsEqualOriginalWithRemovedChannelsZeroed() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).conv2d(8, 3, 1, Padding.SAME, true).relu()
        .maximum(b -> b.conv2d(8, 1, 1, Padding.VALID, true)).prelu()
        .globalMaxPool().dense(3).seed(4).build()) {
      Models.randomNormsAndBiases(model, 5);
      model.setParameters(Map.of("p_re_lu_1/alpha",
          new float[] {0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.25f, 0.05f, -0.1f}));
      ChannelGroups.Group g = ChannelGroups.of(model.architecture()).groupOf("conv2d_1")
          .orElseThrow();
      assertEquals(List.of("conv2d_1", "conv2d_2"), g.producers());
      assertEquals(List.of("p_re_lu_1"), g.norms());
      Map<String, List<Integer>> kept = Map.of("conv2d_1", List.of(0, 3, 5, 6));
      Models.assertShrinkIsExact(model, kept, IMAGES);
    }
  }

  /** A PReLU after a flatten has a slope per feature, not per channel: the group is left whole. */
  @Test
  void groups_preluAfterFlatten_leavesTheGroupWholeNamingIt() {
    try (Cnn model = Cnn.builder().input(4, 4, 1).conv2d(2, 3).flatten().prelu().dense(3)
        .build()) {
      assertEquals(java.util.Optional.of("p_re_lu_1 has a slope per feature of flattened channels"
          + " (PReLU), which structured pruning does not slice"),
          ChannelGroups.of(model.architecture()).groupOf("conv2d_1").orElseThrow().whole());
    }
  }

  /** A PReLU with a slope per position and channel cannot be sliced: the group is left whole. */
  @Test
  void groups_preluPerValue_leavesTheGroupWholeNamingIt() {
    try (Cnn model = Cnn.builder().input(4, 4, 1).conv2d(2, 3)
        .prelu(java.util.EnumSet.noneOf(LayerSpec.PRelu.Axis.class)).flatten().dense(3)
        .build()) {
      assertEquals(java.util.Optional.of("p_re_lu_1 has a slope per position and channel"
          + " (PReLU shared_axes []), which structured pruning does not slice"),
          ChannelGroups.of(model.architecture()).groupOf("conv2d_1").orElseThrow().whole());
    }
  }

  /** One slope for all channels belongs to no channel: cutting through it is exact. */
  @Test
  void shrink_throughPreluSharedOverChannels_isExact() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).conv2d(6, 3, 1, Padding.SAME)
        .prelu(java.util.EnumSet.of(LayerSpec.PRelu.Axis.CHANNELS)).conv2d(4, 1)
        .globalAvgPool().dense(3).seed(5).build()) {
      Map<String, float[]> p = new java.util.HashMap<>(model.parameters());
      float[] alpha = new float[12 * 12];  // [12, 12, 1]: a slope per position
      java.util.Arrays.fill(alpha, 0.3f);
      p.put("p_re_lu_1/alpha", alpha);
      model.setParameters(p);
      Models.assertShrinkIsExact(model, Map.of("conv2d_1", List.of(0, 2, 5)), IMAGES);
    }
  }

  @Test
  void groups_convNextBlock_expansionPrunableResidualStreamWhole() {
    try (Cnn model = convNext(0)) {
      ChannelGroups groups = ChannelGroups.of(model.architecture());
      ChannelGroups.Group expansion = groups.groupOf("dense_1").orElseThrow();
      assertTrue(expansion.prunable(), expansion.whole().orElse(""));
      assertEquals(List.of("dense_2"), expansion.consumers().stream()
          .map(ChannelGroups.Consumer::layer).toList());
      ChannelGroups.Group stream = groups.groupOf("conv2d_1").orElseThrow();
      assertTrue(stream.whole().orElse("").contains(
          "layer_normalization_1 normalises over all its input's channels"), stream.toString());
      assertEquals(List.of("layer_scale_2"), groups.groupOf("conv2d_2").orElseThrow().norms());
    }
  }

  /**
   * The exactness claim on these layers: the smaller network's predictions equal, within 1e-5
   * (float32 graph results), the original's with every removed channel zeroed in each member of
   * its group (dense kernel columns and biases on the image, LayerScale gammas), with random
   * LayerNormalization and LayerScale gammas and betas and random biases.
   */
  @Test
  void shrink_convNextLayers_predictionsEqualOriginalWithRemovedChannelsZeroed() {
    for (long seed = 0; seed < 2; seed++) {
      try (Cnn model = convNext(seed)) {
        Models.randomNormsAndBiases(model, seed + 10);
        Map<String, List<Integer>> kept = ResidualSurgeryTest.randomKept(model.architecture(),
            seed + 20);
        assertEquals(List.of("dense_1", "conv2d_2"), List.copyOf(kept.keySet()));
        Models.assertShrinkIsExact(model, kept, IMAGES);
      }
    }
  }
}
