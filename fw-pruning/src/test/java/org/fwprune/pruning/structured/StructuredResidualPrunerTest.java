package org.fwprune.pruning.structured;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.ServedModel;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Structured pruning of a ResNet: every selection method, and the smaller model's uses. */
class StructuredResidualPrunerTest {

  private static final Dataset TRAIN = SyntheticData.bars(192, 8, 4, 41);
  private static Cnn resNet;

  @TempDir
  Path tmp;

  @BeforeAll
  static void train() {
    resNet = SyntheticData.trainedResNet8(TRAIN);
  }

  @AfterAll
  static void close() {
    resNet.close();
  }

  private static StructuredPruner.Builder base() {
    return StructuredPruner.builder().keep(KeepRule.uniformFlops(0.5)).candidates(3).subsampleSize(16)
        .fineTuneSteps(2).batchSize(32).seed(2);
  }

  @ParameterizedTest
  @EnumSource(SelectionMethod.class)
  void prune_flopsHalf_givesAtMostHalfTheMultiplyAddsWithEqualCountsForEveryMethod(
      SelectionMethod method) {
    try (StructuredResult r = base().selection(method).build().prune(resNet, TRAIN)) {
      assertTrue(r.flopsAfter() <= r.flopsBefore() / 2, r.toString());
      // uniformFlops(f) fixes the counts, so every method builds the same architecture.
      assertEquals(FilterSurgery.shrink(resNet.architecture(), r.keptCounts()),
          r.model().architecture());
      assertEquals(r.flopsAfter(), r.layerCosts().stream().mapToLong(LayerCost::macsAfter).sum());
      assertEquals(r.parametersAfter(),
          r.layerCosts().stream().mapToLong(LayerCost::parametersAfter).sum());
      assertEquals("dense_1", r.leftWhole().get(0).name());
    }
  }

  @Test
  void prune_smallerResNet_trainsPrunesSavesAndExports() throws IOException {
    try (StructuredResult r = base().selection(SelectionMethod.L1_NORM).build()
        .prune(resNet, TRAIN)) {
      Cnn small = r.model();
      small.fit(TRAIN, Training.builder().steps(2).batchSize(32).build());
      MagnitudePruner.builder().targetSparsity(0.5).steps(2).batchSize(32).build()
          .prune(small, TRAIN);
      FwPruner.builder().targetSparsity(0.6).steps(2).batchSize(32).build().prune(small, TRAIN);
      small.save(tmp.resolve("small"));
      try (Cnn loaded = Cnn.load(tmp.resolve("small"))) {
        float[][] expected = small.predict(TRAIN.subset(0, 8));
        float[][] actual = loaded.predict(TRAIN.subset(0, 8));
        for (int i = 0; i < expected.length; i++) {
          assertClose(expected[i], actual[i], 0f);
        }
      }
      small.exportSavedModel(tmp.resolve("saved"));
      float[][] served = ServedModel.predict(tmp.resolve("saved"), TRAIN.subset(0, 8));
      float[][] expected = small.predict(TRAIN.subset(0, 8));
      for (int i = 0; i < expected.length; i++) {
        assertClose(expected[i], served[i], GRAPH_TOLERANCE);
      }
      int stem = r.keptCounts().get("conv2d_1");
      assertTrue(small.summary().contains("(None, 8, 8, " + stem + ")"), small.summary());
    }
  }

  @Test
  void prune_smallerResNet_savesAsKerasAndLoadsBackWithItsPredictions() throws IOException {
    try (StructuredResult r = base().selection(SelectionMethod.BN_SCALE).build()
        .prune(resNet, TRAIN)) {
      Path file = tmp.resolve("small.keras");
      r.model().saveKeras(file);
      try (Cnn loaded = Cnn.loadKeras(file)) {
        // The same nodes, perhaps in another topological order: the archive lists them in
        // Keras' own order, which names its weight groups.
        assertEquals(new java.util.HashSet<>(r.model().architecture().nodes()),
            new java.util.HashSet<>(loaded.architecture().nodes()));
        float[][] expected = r.model().predict(TRAIN.subset(0, 8));
        float[][] actual = loaded.predict(TRAIN.subset(0, 8));
        // Same weights, same graph: the predictions agree bit for bit.
        for (int i = 0; i < expected.length; i++) {
          assertClose(expected[i], actual[i], 0f);
        }
      }
    }
  }

  @Test
  void prune_bnScaleOnGroupWithoutBatchNorm_throwsNamingTheGroup() {
    try (Cnn chain = Models.mixed(0)) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> base().selection(SelectionMethod.BN_SCALE).build().prune(chain,
              Models.randomImages(32, 10, 2, 3, 1))).getMessage();
      assertTrue(message.startsWith("BN_SCALE ranks channels by BatchNorm scale, but channel"
          + " group conv2d_1 ([conv2d_1]) has no BatchNorm"), message);
    }
  }

  @Test
  void prune_averageScalingOnBatchNormGroup_throws() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> base().scaling(Scaling.AVERAGE).build().prune(resNet, TRAIN)).getMessage();
    assertTrue(message.startsWith("scaling AVERAGE needs channel groups of one layer without"
        + " BatchNorm; conv2d_1 has layers [conv2d_1, conv2d_3, batch_normalization_1"), message);
  }
}
