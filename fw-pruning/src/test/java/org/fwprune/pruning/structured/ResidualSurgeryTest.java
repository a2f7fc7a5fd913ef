package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Coupled channel groups of residual and BatchNorm networks, and their exact removal. */
class ResidualSurgeryTest {

  private static final Dataset IMAGES = Models.randomImages(30, 12, 3, 3, 21);

  /** A random non-empty strict subset of each prunable group's channels. */
  static Map<String, List<Integer>> randomKept(Architecture a, long seed) {
    Random random = new Random(seed);
    Map<String, List<Integer>> kept = new LinkedHashMap<>();
    for (ChannelGroups.Group g : ChannelGroups.of(a).prunable()) {
      List<Integer> all = new ArrayList<>(IntStream.range(0, g.channels()).boxed().toList());
      Collections.shuffle(all, random);
      kept.put(g.name(), all.subList(0, 1 + random.nextInt(g.channels() - 1)));
    }
    return kept;
  }

  @Test
  void groups_resNet8_coupleEachStageThroughItsAdds() {
    Architecture r8 = Architectures.resNet(8, 16, 16, 1, 10);
    ChannelGroups groups = ChannelGroups.of(r8);
    // Stem + block output share stage 1's channels; stage 2 and 3 each join the block's second conv
    // with the projection; the inner convs stand alone; the dense layer is the output.
    assertEquals(List.of(List.of("conv2d_1", "conv2d_3"), List.of("conv2d_2"),
            List.of("conv2d_4"), List.of("conv2d_5", "conv2d_6"), List.of("conv2d_7"),
            List.of("conv2d_8", "conv2d_9"), List.of("dense_1")),
        groups.groups().stream().map(ChannelGroups.Group::producers).toList());
    assertEquals(List.of("batch_normalization_1", "batch_normalization_3"),
        groups.groupOf("conv2d_1").orElseThrow().norms());
    assertEquals(List.of("dense_1"), groups.whole().stream().map(ChannelGroups.Group::name)
        .toList());
    assertTrue(groups.whole().get(0).whole().orElseThrow().contains("network's output"));
  }

  @Test
  void groups_flattenBeforeDense_consumerReadsHeightTimesWidthFeaturesPerChannel() {
    ChannelGroups groups = ChannelGroups.of(Models.residual(0, true).architecture());
    ChannelGroups.Group last = groups.groupOf("conv2d_7").orElseThrow();
    assertEquals(List.of(new ChannelGroups.Consumer("dense_1", 9, 0, 7)), last.consumers().stream()
        .filter(c -> c.layer().startsWith("dense")).toList());
  }

  @Test
  void groups_addReadingTheInput_leavesTheGroupWhole() {
    try (Cnn model = Cnn.builder().input(8, 8, 2)
        .residual(x -> x.conv2d(2, 3, 1, org.fwprune.core.model.Padding.SAME, true))
        .globalAvgPool().dense(3).build()) {
      ChannelGroups.Group g = ChannelGroups.of(model.architecture()).groupOf("conv2d_1")
          .orElseThrow();
      assertEquals("its channels are the network's input", g.whole().orElseThrow());
    }
  }

  /**
   * The exactness claim: the smaller network's predictions equal, within 1e-5 (float32 graph
   * results), those of the original in which every removed channel is zeroed in each member of its
   * group (producers' kernel columns and biases, BatchNorms' gamma and beta), so that the channel
   * is zero wherever the group's channels flow. BatchNorm moving statistics and biases are random.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void shrink_everyBlockType_predictionsEqualOriginalWithRemovedChannelsZeroed(boolean flatten) {
    for (long seed = 0; seed < 2; seed++) {
      try (Cnn model = Models.residual(seed, flatten)) {
        Models.randomNormsAndBiases(model, seed + 10);
        Map<String, List<Integer>> kept = randomKept(model.architecture(), seed + 20);
        Models.assertShrinkIsExact(model, kept, IMAGES);
      }
    }
  }

  @Test
  void shrink_twoNamesOfOneGroup_throws() {
    try (Cnn model = Cnn.of(Architectures.resNet(8, 16, 16, 1, 10))) {
      assertEquals("conv2d_1 and conv2d_3 belong to one channel group (conv2d_1): name it once",
          assertThrows(IllegalArgumentException.class, () -> FilterSurgery.shrink(model,
              Map.of("conv2d_1", List.of(0), "conv2d_3", List.of(1)))).getMessage()
              .replace("conv2d_3 and conv2d_1", "conv2d_1 and conv2d_3"));
    }
  }

  @Test
  void shrink_outputLayer_throwsSayingWhyItIsWhole() {
    try (Cnn model = Cnn.of(Architectures.resNet(8, 16, 16, 1, 10))) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> FilterSurgery.shrink(model, Map.of("dense_1", List.of(0)))).getMessage();
      assertTrue(message.endsWith("(dense_1 is left whole: its channels are the network's output"
          + " (the class scores of softmax_1))"), message);
    }
  }
}
