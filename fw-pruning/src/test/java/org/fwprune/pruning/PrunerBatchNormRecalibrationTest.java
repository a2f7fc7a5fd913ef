package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.sfw.SfwTrainer;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pruners' {@code batchNormRecalibration(n)} option on a small ResNet. */
class PrunerBatchNormRecalibrationTest {

  private static final Dataset TRAIN = SyntheticData.bars(192, 8, 4, 41);
  private static final int BATCHES = 3;
  private static Cnn trained;

  @BeforeAll
  static void train() {
    trained = SyntheticData.trainedResNet8(TRAIN);
  }

  @AfterAll
  static void close() {
    trained.close();
  }

  static Stream<Arguments> pruners() {
    return Stream.of(
        Arguments.of("magnitude, no retraining", (Function<Integer, Pruner>) n ->
            MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(0.7)
                .steps(0).batchNormRecalibration(n).build()),
        Arguments.of("Frank-Wolfe, 4 steps", (Function<Integer, Pruner>) n ->
            FwPruner.builder().targetSparsity(0.7).steps(4).batchSize(32).seed(3)
                .batchNormRecalibration(n).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pruners")
  void prune_withRecalibration_equalsPruningThenRecalibratingByHand(String name,
      Function<Integer, Pruner> pruner) {
    try (Cnn withOption = trained.copy(); Cnn byHand = trained.copy()) {
      pruner.apply(BATCHES).prune(withOption, TRAIN);
      pruner.apply(0).prune(byHand, TRAIN);
      Map<String, float[]> beforeRecalibration = byHand.parameters();
      byHand.recalibrateBatchNorm(TRAIN, BATCHES);
      Map<String, float[]> expected = byHand.parameters();
      Map<String, float[]> actual = withOption.parameters();
      assertEquals(expected.keySet(), actual.keySet());
      // Same weights, same batches, same graph: bit for bit.
      expected.forEach((key, value) -> assertArrayEquals(value, actual.get(key), 0f, key));
      // And the option did something: the moving statistics moved.
      assertFalse(Arrays.equals(beforeRecalibration.get("batch_normalization_1/moving_mean"),
          expected.get("batch_normalization_1/moving_mean")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pruners")
  void prune_byDefaultOnBatchNormNetwork_reestimatesOnDefaultBatches(String name,
      Function<Integer, Pruner> pruner) {
    Pruner byDefault = name.startsWith("magnitude")
        ? MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(0.7)
            .steps(0).build()
        : FwPruner.builder().targetSparsity(0.7).steps(4).batchSize(32).seed(3).build();
    try (Cnn implicit = trained.copy(); Cnn explicit = trained.copy(); Cnn off = trained.copy()) {
      byDefault.prune(implicit, TRAIN);
      pruner.apply(Training.DEFAULT_WARM_UP_RECALIBRATION).prune(explicit, TRAIN);
      pruner.apply(0).prune(off, TRAIN);
      assertSameParameters(explicit.parameters(), implicit.parameters());
      assertFalse(Arrays.equals(off.parameters().get("batch_normalization_1/moving_mean"),
          implicit.parameters().get("batch_normalization_1/moving_mean")));
    }
  }

  @Test
  void prune_byDefaultOnNetworkWithoutBatchNorm_needsNoSetting() {
    try (Cnn paper = Cnn.of(Architectures.paperCnn())) {
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).steps(0).targetSparsity(0.5)
          .build().prune(paper, SyntheticData.bars(16, 28, 10, 5));
      assertEquals(0.5, SparsityMeter.overall(SparsityMeter.measure(paper)), 0.01);
    }
  }

  @Test
  void sfwTrainer_byDefaultOnBatchNormNetwork_reestimatesOnDefaultBatches() {
    try (Cnn implicit = trained.copy(); Cnn explicit = trained.copy()) {
      SfwTrainer.builder().epochs(1).batchSize(64).build().fit(implicit, TRAIN);
      SfwTrainer.builder().epochs(1).batchSize(64)
          .batchNormRecalibration(Training.DEFAULT_WARM_UP_RECALIBRATION).build()
          .fit(explicit, TRAIN);
      assertSameParameters(explicit.parameters(), implicit.parameters());
    }
  }

  @Test
  void structuredPruner_byDefaultOnBatchNormNetwork_reestimatesOnDefaultBatches() {
    try (StructuredResult implicit = halving().build().prune(trained, TRAIN);
        StructuredResult explicit = halving()
            .batchNormRecalibration(Training.DEFAULT_WARM_UP_RECALIBRATION).build()
            .prune(trained, TRAIN);
        StructuredResult off = halving().batchNormRecalibration(0).build().prune(trained, TRAIN)) {
      assertSameParameters(explicit.model().parameters(), implicit.model().parameters());
      assertFalse(Arrays.equals(off.model().parameters().get("batch_normalization_1/moving_mean"),
          implicit.model().parameters().get("batch_normalization_1/moving_mean")));
    }
  }

  private static StructuredPruner.Builder halving() {
    return StructuredPruner.builder().selection(SelectionMethod.L1_NORM).keep(KeepRule.uniformFlops(0.5))
        .fineTuneSteps(2).batchSize(32);
  }

  private static void assertSameParameters(Map<String, float[]> expected,
      Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    // Same weights, same batches, same graph: bit for bit.
    expected.forEach((key, value) -> assertArrayEquals(value, actual.get(key), 0f, key));
  }

  @Test
  void prune_recalibrationOnModelWithoutBatchNorm_isRefusedBeforeAnyChange() {
    try (Cnn paper = Cnn.of(Architectures.paperCnn())) {
      Map<String, float[]> before = paper.parameters();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).steps(0)
              .batchNormRecalibration(2).build().prune(paper, SyntheticData.bars(16, 28, 10, 5)));
      assertEquals("batchNormRecalibration(2) needs a model with BatchNorm layers; this one has"
          + " none", e.getMessage());
      paper.parameters().forEach((k, v) -> assertArrayEquals(before.get(k), v, 0f, k));
    }
  }
}
