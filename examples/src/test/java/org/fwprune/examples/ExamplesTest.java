package org.fwprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example's run(...) on tiny synthetic data: 8x8 bars in 4 classes and a small CNN. */
class ExamplesTest {

  private static final int SIDE = 8;
  private static final int CLASSES = 4;

  /** 180 kernel weights: a target sparsity is reached up to one weight (1/180) plus ties. */
  private static final double SPARSITY_TOLERANCE = 2.0 / 180;

  private final Dataset train = SyntheticData.bars(256, SIDE, CLASSES, 1);
  private final Dataset test = SyntheticData.bars(64, SIDE, CLASSES, 2);

  @TempDir
  Path dir;

  @Test
  void roundTripCheck_ofATrainedResidualNetwork_isExact() throws IOException {
    try (Cnn model = Cnn.builder().input(SIDE, SIDE, 1).conv2d(4, 3, 1,
            org.fwprune.core.model.Padding.SAME, false).batchNorm().relu()
        .residual(b -> b.conv2d(4, 3, 1, org.fwprune.core.model.Padding.SAME).batchNorm())
        .relu().globalAvgPool().dense(CLASSES).softmax().build()) {
      model.fit(train, Training.builder().epochs(1).build());
      RoundTripCheck.Check c = RoundTripCheck.run(model, test, dir);
      assertTrue(c.tensorsEqual());
      assertTrue(c.predictionsEqual());
      // Float32 rounding of the same ops in another graph.
      assertTrue(c.maxServedDifference() < 1e-5, "served differs by " + c.maxServedDifference());
    }
  }

  @Test
  void quickStart_trainsAndPrunesToNinetyPercent() {
    try (Cnn model = SyntheticData.smallCnn(SIDE, CLASSES, 0)) {
      QuickStart.Result r = QuickStart.run(model, train, test, 30);

      assertEquals(0.9, r.report().sparsity(), SPARSITY_TOLERANCE);
      // Four classes: chance is 0.25; 60 SGD steps learn the bars well past it.
      assertTrue(r.dense().accuracy() > 0.5, "bars are learnable: " + r.dense());
      assertEquals(test.size(), r.pruned().size());
    }
  }

  @Test
  void pruneWithEachMethod_prunesACopyWithEveryPruner_andLeavesTheModelDense() {
    try (Cnn model = SyntheticData.smallCnn(SIDE, CLASSES, 0)) {
      model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).batchSize(32)
          .epochs(3).build());
      PruneWithEachMethod.Result r = PruneWithEachMethod.run(model, train, test, 0.5, 20);

      assertEquals(List.of("one-shot magnitude", "gradual magnitude", "fw", "fw + momentum"),
          r.methods().stream().map(PruneWithEachMethod.MethodResult::name).toList());
      for (PruneWithEachMethod.MethodResult m : r.methods()) {
        assertEquals(0.5, m.report().sparsity(), SPARSITY_TOLERANCE, m.name());
        assertEquals(20, m.report().gradientEvaluations(), m.name());
      }
      assertEquals(r.dense(), model.evaluate(test), "the trained model itself is unchanged");
    }
  }

  @Test
  void compareMethods_tunesEveryMethodAndSummarisesEachBudget() throws IOException {
    ExperimentData data = new ExperimentData(train, SyntheticData.bars(64, SIDE, CLASSES, 3),
        test);
    ReproduceConfig config = ReproduceConfig.builder().budgets(List.of(1, 2)).seeds(1)
        .methods(List.of(Method.DENSE, Method.DENSE_TRAINED_ON, Method.GRADUAL_MAGNITUDE))
        .fineTuneSteps(10).batchSize(32).lrGrid(List.of(0.01, 0.1)).tuneBudget(1)
        .targetSparsity(0.5).build();

    CompareMethods.Result r = CompareMethods.run(data,
        seed -> SyntheticData.smallCnn(SIDE, CLASSES, seed), config, dir);

    assertEquals(6, r.summary().size());
    assertEquals(List.of("dense-trained-on", "gradual-magnitude"),
        List.copyOf(r.learningRates().keySet()));
    assertTrue(Files.exists(dir.resolve("summary.md")));
  }
}
