package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.KerasFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channel groups through concatenations (DenseNet, Inception): each input's channels keep their
 * group at an offset in the concatenated tensor, and removing them is exact.
 */
class ConcatSurgeryTest {

  private static final Dataset IMAGES = Models.randomImages(20, 12, 3, 3, 41);

  @Test
  void groups_denseBlock_stemGroupCarriedAtOffsetZero() {
    try (Cnn model = Models.denseNet(0)) {
      ChannelGroups.Group stem = ChannelGroups.of(model.architecture()).groupOf("conv2d_1")
          .orElseThrow();
      assertTrue(stem.prunable(), stem.whole().orElse(""));
      // The stem's BatchNorm, each block layer's first BatchNorm and the transition's.
      assertEquals(List.of("batch_normalization_1", "batch_normalization_2",
          "batch_normalization_4", "batch_normalization_6"), stem.norms());
      assertEquals(0, stem.offsetIn("batch_normalization_6"));
      assertEquals(List.of("conv2d_2", "conv2d_4", "conv2d_6"),
          stem.consumers().stream().map(ChannelGroups.Consumer::layer).toList());
    }
  }

  /** The first block layer's 4 channels follow the stem's 6 in every later tensor of the block. */
  @Test
  void groups_denseBlock_blockLayerGroupAtItsConcatenationOffset() {
    try (Cnn model = Models.denseNet(0)) {
      ChannelGroups.Group g = ChannelGroups.of(model.architecture()).groupOf("conv2d_3")
          .orElseThrow();
      assertTrue(g.prunable(), g.whole().orElse(""));
      assertEquals(List.of("batch_normalization_4", "batch_normalization_6"), g.norms());
      assertEquals(6, g.offsetIn("batch_normalization_4"));
      assertEquals(List.of(new ChannelGroups.Consumer("conv2d_4", 1, 6, 10),
          new ChannelGroups.Consumer("conv2d_6", 1, 6, 14)), g.consumers());
    }
  }

  @Test
  void groupsOf_batchNormAfterConcatenation_listsEachGroupInChannelOrder() {
    try (Cnn model = Models.denseNet(0)) {
      assertEquals(List.of("conv2d_1", "conv2d_3", "conv2d_5"),
          ChannelGroups.of(model.architecture()).groupsOf("batch_normalization_6").stream()
              .map(ChannelGroups.Group::name).toList());
    }
  }

  /**
   * The exactness claim through concatenations: the smaller network's predictions equal, within
   * 1e-5 (float32 graph results), the original's with every removed channel zeroed in each member
   * of its group at the group's offset. BatchNorm statistics and biases are random.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2})
  void shrink_denseBlocks_predictionsEqualOriginalWithRemovedChannelsZeroed(long seed) {
    try (Cnn model = Models.denseNet(seed)) {
      Models.randomNormsAndBiases(model, seed + 10);
      Map<String, List<Integer>> kept = ResidualSurgeryTest.randomKept(model.architecture(),
          seed + 20);
      Models.assertShrinkIsExact(model, kept, IMAGES);
    }
  }

  @Test
  void shrink_denseBlocks_concatenationWidthIsTheKeptChannels() {
    try (Cnn model = Models.denseNet(3)) {
      Map<String, List<Integer>> kept = Map.of("conv2d_1", List.of(0, 5), "conv2d_3",
          List.of(2));
      try (Cnn small = FilterSurgery.shrink(model, kept)) {
        // Stem 2 of 6, first block layer 1 of 4, second block layer all 4.
        assertEquals(List.of(12, 12, 7), small.architecture().layer("concatenate_2")
            .outputShape());
      }
    }
  }

  /** Two branches of one input concatenated, as an Inception module's. */
  @Test
  void shrink_inceptionBranches_predictionsEqualOriginalWithRemovedChannelsZeroed() {
    try (Cnn model = Cnn.builder().input(12, 12, 3).conv2d(5, 3, 1, Padding.SAME, true).relu()
        .concat(x -> x.conv2d(3, 1, 1, Padding.SAME, true).relu()
            .depthwiseConv2d(3, 1, Padding.SAME, 1, true))
        .batchNorm().relu().conv2d(6, 3, 2, Padding.SAME, true).relu()
        .globalAvgPool().dense(3).seed(4).build()) {
      Models.randomNormsAndBiases(model, 14);
      Map<String, List<Integer>> kept = Map.of("conv2d_1", List.of(1, 2, 4), "conv2d_2",
          List.of(0, 2), "conv2d_3", List.of(3));
      Models.assertShrinkIsExact(model, kept, IMAGES);
    }
  }

  @Test
  void scores_bnScaleAfterConcatenation_readsGammaAtTheGroupsOffset() {
    try (Cnn model = Models.denseNet(5)) {
      Models.randomNormsAndBiases(model, 15);
      Architecture a = model.architecture();
      ChannelGroups.Group g = ChannelGroups.of(a).groupOf("conv2d_3").orElseThrow();
      Map<String, float[]> params = model.parameters();
      double[] scores = FilterSelector.scores(SelectionMethod.BN_SCALE, a, g, params);
      float[] gamma4 = params.get(a.layer("batch_normalization_4").key(LayerVariable.Role.GAMMA));
      float[] gamma6 = params.get(a.layer("batch_normalization_6").key(LayerVariable.Role.GAMMA));
      for (int c = 0; c < 4; c++) {
        // Tolerance: a sum of two floats in double.
        assertEquals(Math.abs(gamma4[6 + c]) + Math.abs(gamma6[6 + c]), scores[c], 1e-6);
      }
    }
  }

  @Test
  void prunableGroupOf_concatenationOfFlattenedChannels_refusesNamingTheLayer() {
    Architecture a = Cnn.builder().input(8, 8, 2).conv2d(4, 3, 1, Padding.SAME, true)
        .flatten().reshape(1, 1, 256).concat(x -> x.conv2d(4, 1)).conv2d(5, 1)
        .globalAvgPool().dense(3).architecture();
    String message = assertThrows(IllegalArgumentException.class,
        () -> ChannelGroups.of(a).prunableGroupOf("conv2d_1")).getMessage();
    assertTrue(message.contains("concatenate_1 concatenates flattened channels"), message);
  }

  /**
   * DenseNet121's own block code (the Keras miniature in core's test resources, read from the
   * source tree): every group but the network's input and
   * output is prunable, and shrinking each to a random subset is exact.
   */
  @Test
  void shrink_kerasDenseNet121Miniature_everyInnerGroupPrunableAndExact() throws IOException {
    Path fixture = KerasFixtures.FAMILIES_IN_SOURCE_TREE.resolve("densenet121.keras");
    try (Cnn model = Cnn.loadKeras(fixture)) {
      ChannelGroups groups = ChannelGroups.of(model.architecture());
      assertEquals(List.of(), groups.whole().stream()
          .filter(g -> !g.whole().orElseThrow().contains("network's output")).toList());
      Map<String, List<Integer>> kept = ResidualSurgeryTest.randomKept(model.architecture(), 7);
      Architecture a = model.architecture();
      Dataset probe = Models.randomImages(4, a.height(), a.channels(), a.numClasses(), 8);
      Models.assertShrinkIsExact(model, kept, probe);
    }
  }
}
