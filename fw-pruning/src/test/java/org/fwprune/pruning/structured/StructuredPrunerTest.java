package org.fwprune.pruning.structured;

import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.train.Optimizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StructuredPrunerTest {

  private static Cnn trained;
  private static double denseAccuracy;

  @BeforeAll
  static void train() {
    trained = Models.trainedBars(1);
    denseAccuracy = trained.evaluate(Models.VALIDATION).accuracy();
  }

  @AfterAll
  static void close() {
    trained.close();
  }

  private static StructuredPruner.Builder base() {
    return StructuredPruner.builder().fineTune(Optimizers.momentum(0.02, 0.9)).fineTuneSteps(40)
        .candidates(4).subsampleSize(64).accuracySubset(256).validation(Models.VALIDATION).seed(3);
  }

  @ParameterizedTest
  // BN_SCALE needs BatchNorms, which this network has not (StructuredResidualPrunerTest).
  @EnumSource(value = SelectionMethod.class, names = {"GREEDY_FORWARD", "L1_NORM"})
  void prune_halfTheFilters_keepsAccuracyOnBars(SelectionMethod method) {
    try (StructuredResult r = base().selection(method).keep(KeepRule.uniformFilters(0.5)).build()
        .prune(trained, Models.TRAIN)) {
      // The bars task is easy: the dense model is near 100%; half the filters, fine-tuned for
      // 40 steps, stay within 5 points of it.
      assertTrue(denseAccuracy > 0.9, "dense " + denseAccuracy);
      assertTrue(r.accuracyAfter() >= denseAccuracy - 0.05, r.toString());
      assertEquals(Map.of("conv2d_1", 4, "dense_1", 8), r.keptCounts());
    }
  }

  @Test
  void prune_result_reportsTheSmallerModelsSizeAndCost() {
    try (StructuredResult r = base().keep(KeepRule.uniformFilters(0.5)).build()
        .prune(trained, Models.TRAIN)) {
      assertEquals(r.model().parameterCount(), r.parametersAfter());
      assertEquals(trained.parameterCount(), r.parametersBefore());
      assertEquals(Flops.perExample(r.model().architecture()), r.flopsAfter());
      assertEquals(Flops.perExample(trained.architecture()), r.flopsBefore());
      // Greedy: one step per added filter (4 + 8), each scoring min(4, remaining) candidates.
      assertEquals(12, r.selectionSteps());
      assertEquals(4 * 4 + 8 * 4, r.candidateEvaluations());
      assertEquals(40, r.fineTuneSteps());
      assertEquals(denseAccuracy, r.accuracyBefore(), 1e-12);
    }
  }

  @Test
  void prune_leavesTheOriginalModelUnchanged() {
    float[][] before = trained.predict(Models.VALIDATION);
    try (StructuredResult r = base().build().prune(trained, Models.TRAIN)) {
      assertTrue(r.parametersAfter() < r.parametersBefore(), r.toString());
      float[][] after = trained.predict(Models.VALIDATION);
      for (int i = 0; i < before.length; i++) {
        assertClose(before[i], after[i], 0f);
      }
    }
  }

  @Test
  void prune_withoutFineTune_predictsAsOriginalWithRemovedFiltersZeroed() {
    try (StructuredResult r = base().keep(KeepRule.uniformFilters(0.5)).fineTuneSteps(0).build()
        .prune(trained, Models.TRAIN)) {
      Map<String, List<Integer>> kept = new java.util.LinkedHashMap<>();
      r.layers().forEach(l -> kept.put(l.name(), l.kept()));
      try (Cnn zeroed = Models.zeroedCopy(trained, kept, Map.of())) {
        assertEquals(zeroed.evaluate(Models.VALIDATION).accuracy(), r.accuracyPruned(), 1e-12);
        assertEquals(r.accuracyPruned(), r.accuracyAfter(), 1e-12);
      }
    }
  }

  @Test
  void prune_accuracyRule_stopsOnceTheSubsetAccuracyIsReached() {
    // Half the dense accuracy is reached long before the cap of every filter.
    try (StructuredResult r = base().keep(KeepRule.accuracy(0.5, 1.0)).build()
        .prune(trained, Models.TRAIN)) {
      assertTrue(r.keptCounts().get("conv2d_1") < 8, r.toString());
      assertTrue(r.keptCounts().get("dense_1") < 16, r.toString());
    }
  }

  @Test
  void prune_averageScaling_foldsTheScaleIntoTheKeptWeights() {
    try (StructuredResult r = base().scaling(Scaling.AVERAGE).keep(KeepRule.uniformFilters(0.25))
        .fineTuneSteps(0).build().prune(trained, Models.TRAIN)) {
      // conv2d_1 keeps 2 of 8 filters and dense_1 4 of 16 units: both scaled by N / |S| = 4.
      assertEquals(4.0, r.layers().get(0).scale(), 1e-12);
      assertEquals(4.0, r.layers().get(1).scale(), 1e-12);
      Map<String, List<Integer>> kept = new java.util.LinkedHashMap<>();
      r.layers().forEach(l -> kept.put(l.name(), l.kept()));
      try (Cnn zeroed = Models.zeroedCopy(trained, kept, Map.of("conv2d_1", 4.0, "dense_1", 4.0))) {
        assertEquals(zeroed.evaluate(Models.VALIDATION).accuracy(), r.accuracyPruned(), 1e-12);
      }
    }
  }

  @Test
  void prune_l1NormWithCounts_keepsTheLargestNormFilters() {
    try (StructuredResult r = base().selection(SelectionMethod.L1_NORM)
        .keep(KeepRule.counts(Map.of("conv2d_1", 3))).fineTuneSteps(0).build()
        .prune(trained, Models.TRAIN)) {
      float[] kernel = trained.parameters().get("conv2d_1/kernel");
      double[] norms = new double[8];
      for (int i = 0; i < kernel.length; i++) {
        norms[i % 8] += Math.abs(kernel[i]);
      }
      List<Integer> kept = r.layers().get(0).kept();
      for (int f = 0; f < 8; f++) {
        if (!kept.contains(f)) {
          for (int k : kept) {
            assertTrue(norms[k] >= norms[f], "kept " + k + " below removed " + f);
          }
        }
      }
      assertEquals(Map.of("conv2d_1", 3, "dense_1", 16), r.keptCounts());
      assertEquals(0, r.selectionSteps());
    }
  }

  @Test
  void prune_flopsRule_staysWithinTheBudget() {
    try (StructuredResult r = base().keep(KeepRule.uniformFlops(0.3)).fineTuneSteps(0).build()
        .prune(trained, Models.TRAIN)) {
      assertTrue(r.flopsAfter() <= 0.3 * r.flopsBefore(), r.toString());
      // Before: 6*6*9*8 + 72*16 + 16*4 = 3808 multiply-adds, budget 1142.4. Fraction 5/16 gives
      // 3 filters and 5 units: 6*6*9*3 + (3*3*3)*5 + 5*4 = 1127; the next larger common fraction
      // (3/8: 3 and 6) gives 972 + 162 + 24 = 1158, over the budget.
      assertEquals(Map.of("conv2d_1", 3, "dense_1", 5), r.keptCounts());
    }
  }

  @Test
  void prune_includeDenseFalse_prunesOnlyConvLayers() {
    try (StructuredResult r = base().includeDense(false).keep(KeepRule.uniformFilters(0.5))
        .fineTuneSteps(0).build().prune(trained, Models.TRAIN)) {
      assertEquals(Map.of("conv2d_1", 4), r.keptCounts());
      assertEquals(16, ((org.fwprune.core.model.LayerSpec.Dense) r.model().architecture()
          .layers().get(4)).units());
    }
  }

  @Test
  void prune_countsNamingAnUnprunedLayer_throws() {
    StructuredPruner p = base().keep(KeepRule.counts(Map.of("dense_2", 2))).build();
    String message = assertThrows(IllegalArgumentException.class,
        () -> p.prune(trained, Models.TRAIN)).getMessage();
    assertEquals("dense_2 is not a layer this pruner prunes; it prunes [conv2d_1, dense_1]",
        message);
  }
}
