package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.Refusals;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.constraints.internal.MagnitudeThreshold;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.scope.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;

class PrunerTest {

  private static final Dataset TRAIN = SyntheticData.bars(512, 8, 4, 1);
  private static final Dataset VALIDATION = SyntheticData.bars(200, 8, 4, 2);

  @TempDir
  Path tmp;

  static Stream<Arguments> pruners() {
    return Stream.of(
        Arguments.of("fw-momentum", FwPruner.builder().targetSparsity(0.8).steps(60).frequency(5)
            .build()),
        Arguments.of("fw", FwPruner.builder().targetSparsity(0.8).momentum(0).initialSparsity(0.8)
            .steps(60).frequency(5).build()),
        Arguments.of("gradual", MagnitudePruner.builder().targetSparsity(0.8).steps(60)
            .frequency(5).build()),
        Arguments.of("one-shot", MagnitudePruner.builder().targetSparsity(0.8)
            .mode(MagnitudePruner.Mode.ONE_SHOT).steps(60).build()),
        Arguments.of("fw-per-layer", FwPruner.builder().targetSparsity(0.8).scope(Scope.PER_LAYER)
            .steps(60).frequency(5).build()),
        Arguments.of("gradual-per-layer", MagnitudePruner.builder().targetSparsity(0.8)
            .scope(Scope.PER_LAYER).steps(60).frequency(5).build()),
        Arguments.of("fw-tightening", FwPruner.builder().targetSparsity(0.8)
            .support(SupportRule.SCHEDULE_PER_LAYER).steps(60).frequency(5).build()),
        Arguments.of("fw-global-lmo", FwPruner.builder().targetSparsity(0.8)
            .support(SupportRule.SCHEDULE_GLOBAL).steps(60).frequency(5).build()),
        Arguments.of("fw-layer-budgets", FwPruner.builder().targetSparsity(0.8)
            .support(SupportRule.SCHEDULE_GLOBAL_LAYER_BUDGETS).steps(60).frequency(5).build()),
        Arguments.of("fw-decaying-momentum", FwPruner.builder().targetSparsity(0.8)
            .momentumSchedule(MomentumSchedule.decaying()).steps(60).frequency(5).build()));
  }

  private static Cnn trainedModel() {
    Cnn model = SyntheticData.smallCnn(8, 4, 1);
    model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).epochs(2)
        .build());
    return model;
  }

  private static long zeros(float[] a) {
    long z = 0;
    for (float v : a) {
      z += v == 0f ? 1 : 0;
    }
    return z;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pruners")
  void prune_reachesTargetExactlyAndUsesTheWholeBudget(String name, Pruner pruner) {
    try (Cnn model = trainedModel()) {
      PruningReport r = pruner.prune(model, TRAIN);
      Map<String, float[]> p = model.parameters();
      long total = p.get("conv2d_1/kernel").length + p.get("dense_1/kernel").length;
      long zeros = zeros(p.get("conv2d_1/kernel")) + zeros(p.get("dense_1/kernel"));
      // 0.8 of 36 + 144 = 180 kernel weights: exactly 144 zeros (to within one weight for the
      // per-layer scope, whose rounding is per kernel: 29 + 115 = 144 here too).
      assertEquals(MagnitudeThreshold.zeroCount(0.8, total), zeros, 1);
      assertEquals(r.sparsity(), zeros / (double) total, 1e-12);
      assertEquals(60, r.gradientEvaluations());
      assertEquals(0, zeros(p.get("dense_1/bias")), "biases are never pruned");
    }
  }

  @Test
  void perLayerScope_prunesEveryKernelToTheTarget() {
    try (Cnn model = trainedModel()) {
      PruningReport r = MagnitudePruner.builder().targetSparsity(0.75).scope(Scope.PER_LAYER)
          .steps(20).build().prune(model, TRAIN);
      for (PruningReport.LayerSparsity l : r.layers()) {
        // 0.75 * 36 = 27 and 0.75 * 144 = 108 zeros exactly.
        assertEquals(0.75, l.sparsity(), 1e-12, l.name());
      }
    }
  }

  @ParameterizedTest(name = "minimumDensity {0}")
  @ValueSource(doubles = {0.0, 0.08})
  void minimumDensity_decidesWhetherEveryKernelKeepsItsFloor(double density) {
    try (Cnn model = trainedModel()) {
      PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
          .targetSparsity(0.9).minimumDensity(density).steps(0).build().prune(model, TRAIN);
      long total = r.layers().stream().mapToLong(PruningReport.LayerSparsity::parameters).sum();
      assertEquals(0.9, r.sparsity(), 1.0 / total);
      // Without a floor the global threshold leaves some kernel below 8% here, so the floor binds.
      boolean everyKernelKeeps8Percent = r.layers().stream()
          .allMatch(l -> l.nonZeros() >= Math.ceil(0.08 * l.parameters()));
      assertEquals(density > 0, everyKernelKeeps8Percent, r.layers().toString());
    }
  }

  @Test
  void prunedWeights_stayZeroThroughFitCopySaveLoadAndExport() throws IOException {
    try (Cnn model = trainedModel()) {
      FwPruner.builder().targetSparsity(0.8).steps(40).frequency(5).build().prune(model, TRAIN);
      float[] pruned = model.parameters().get("dense_1/kernel");
      model.fit(TRAIN, Training.builder().optimizer(Optimizers.adam(0.01)).epochs(2).build());
      assertZerosKept(pruned, model.parameters().get("dense_1/kernel"));
      try (Cnn twin = model.copy()) {
        twin.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).build());
        assertZerosKept(pruned, twin.parameters().get("dense_1/kernel"));
      }
      model.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        back.fit(TRAIN, Training.builder().optimizer(Optimizers.sgd(0.1)).build());
        assertZerosKept(pruned, back.parameters().get("dense_1/kernel"));
      }
      model.exportSavedModel(tmp.resolve("served"));
      try (SavedModelBundle bundle = SavedModelBundle.load(tmp.resolve("served").toString())) {
        String graph = bundle.graph().toGraphDef().toString();
        assertFalse(graph.contains("mask"), "the served graph has no mask ops");
      }
    }
  }

  private static void assertZerosKept(float[] pruned, float[] now) {
    for (int i = 0; i < pruned.length; i++) {
      if (pruned[i] == 0f) {
        assertEquals(0f, now[i], 0f, "weight " + i + " was pruned");
      }
    }
  }

  @Test
  void validation_reportsAccuracyBeforeAndAfter() {
    try (Cnn model = trainedModel()) {
      double before = model.evaluate(VALIDATION).accuracy();
      PruningReport r = MagnitudePruner.builder().targetSparsity(0.5).steps(30)
          .validation(VALIDATION).build().prune(model, TRAIN);
      assertEquals(before, r.accuracyBefore(), 1e-12);
      assertEquals(model.evaluate(VALIDATION).accuracy(), r.accuracyAfter(), 1e-12);
      assertTrue(r.toString().contains("validation accuracy"), r.toString());
      assertTrue(r.toString().contains("dense_1/kernel"), r.toString());
    }
  }

  @Test
  void prune_whileModelIsHeldByAnotherRun_isRefused() throws InterruptedException {
    try (Cnn model = trainedModel()) {
      IllegalStateException seen;
      try (ModelGraph.Lease lease = model.prunable().exclusive("fit")) {
        seen = Refusals.illegalStateOnAnotherThread(
            () -> MagnitudePruner.builder().steps(5).build().prune(model, TRAIN));
      }
      assertTrue(seen != null && seen.getMessage().contains("already being trained"),
          String.valueOf(seen));
    }
  }

  @Test
  void prune_wrongImageShape_namesBothShapes() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FwPruner.builder().build().prune(model, SyntheticData.bars(20, 10, 4, 1)));
      assertEquals("training data has 10x10x1 images but the model expects 8x8x1", e.getMessage());
    }
  }

  @Test
  void divergingFineTune_stopsNamingEpochAndStepWithFiniteWeights() {
    Dataset exploding = SyntheticData.exploding();
    try (Cnn model = SyntheticData.linear()) {
      org.fwprune.core.train.DivergenceException e = assertThrows(
          org.fwprune.core.train.DivergenceException.class,
          () -> FwPruner.builder().fineTune(Optimizers.sgd(1)).steps(50).batchSize(8).build()
              .prune(model, exploding));
      assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", step " + e.step()),
          e.getMessage());
      for (float v : model.parameters().get("dense_1/kernel")) {
        assertTrue(Float.isFinite(v));
      }
    }
  }

  @Test
  void fwPruning_keepsValidationAccuracyOnSeparableTask() {
    try (Cnn model = trainedModel()) {
      PruningReport r = FwPruner.builder().targetSparsity(0.7).steps(100).frequency(10)
          .validation(VALIDATION).build().prune(model, TRAIN);
      // Four bars are linearly separable; a 70%-sparse model still separates them.
      assertTrue(r.accuracyAfter() > 0.9, r.toString());
    }
  }
}
