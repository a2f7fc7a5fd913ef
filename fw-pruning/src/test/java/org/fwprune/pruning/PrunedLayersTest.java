package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.pruning.scope.PrunedLayers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrunedLayersTest {

  private static final Dataset TRAIN = SyntheticData.bars(256, 12, 4, 1);

  private static Cnn threeKernels() {
    return Cnn.builder().input(12, 12, 1).conv2d(4, 3).relu().conv2d(8, 3).relu().maxPool(2)
        .flatten().dense(4).softmax().seed(1).build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(PrunedLayers.values()).flatMap(layers -> Stream.of(
        Arguments.of(layers, MagnitudePruner.builder().targetSparsity(0.8).steps(20).frequency(5)
            .prunedLayers(layers).build()),
        Arguments.of(layers, FwPruner.builder().targetSparsity(0.8).steps(20).frequency(5)
            .prunedLayers(layers).build())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void prune_leavesExcludedKernelsDenseAndHitsTheTargetOnTheRest(PrunedLayers layers,
      Pruner pruner) {
    try (Cnn model = threeKernels()) {
      PruningReport report = pruner.prune(model, TRAIN);
      List<PruningReport.LayerSparsity> all = SparsityMeter.measure(model);
      List<PruningReport.LayerSparsity> pruned = layers.select(all);
      for (PruningReport.LayerSparsity l : all) {
        if (!pruned.contains(l)) {
          assertEquals(l.parameters(), l.nonZeros(), l.name() + " must stay dense");
        }
      }
      // Exact up to rounding of the zero count: one weight in the pruned kernels.
      double total = pruned.stream().mapToLong(PruningReport.LayerSparsity::parameters).sum();
      assertEquals(0.8, SparsityMeter.overall(pruned), 1.0 / total);
      assertEquals(SparsityMeter.overall(pruned), report.sparsity(), 1e-12);
    }
  }

  @Test
  void select_leavingNothing_throwsNamingTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrunedLayers.ALL_BUT_FIRST_AND_LAST.select(List.of("only")));
    assertEquals("prunedLayers ALL_BUT_FIRST_AND_LAST leaves no kernel to prune in a model with 1"
        + " kernel(s)", e.getMessage());
  }

  @Test
  void builder_nullPrunedLayers_throwsWithAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MagnitudePruner.builder().prunedLayers(null));
    assertEquals("prunedLayers must be ALL, ALL_BUT_FIRST, ALL_BUT_LAST or ALL_BUT_FIRST_AND_LAST,"
        + " got null", e.getMessage());
  }
}
