package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.structured.StructuredResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The structured methods of {@link MethodRunner}, on tiny synthetic data. */
class MethodRunnerTest {

  private static final MethodRunner RUNNER = new MethodRunner(0.5, 12, 32, 0.9, 0.6,
      LearningRateSchedule.constant());
  private static final ProgressListener SILENT = new ProgressListener() {};

  /** A trained tiny network of {@link TinyExperiment}; the caller closes it. */
  private static Cnn trained(Dataset train) {
    Cnn model = TinyExperiment.models().create(0);
    model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.1)).batchSize(32).epochs(3)
        .seed(0).build());
    return model;
  }

  @Test
  void select_l1WithoutCounts_keepsTheGreedyCountsAndLeavesTheModelAlone() {
    Dataset train = TinyExperiment.data().train();
    try (Cnn model = trained(train)) {
      Map<String, float[]> before = model.parameters();
      try (StructuredResult fw = RUNNER.select(Method.STRUCTURED_FW, model, train, 7,
              Optional.empty());
          StructuredResult l1 = RUNNER.select(Method.STRUCTURED_L1, model, train, 7,
              Optional.empty())) {
        assertEquals(fw.keptCounts(), l1.keptCounts());
        assertEquals(fw.model().architecture(), l1.model().architecture());
        assertEquals(0, fw.fineTuneSteps(), "select leaves the fine-tune to fineTune");
        assertTrue(fw.parametersAfter() < fw.parametersBefore(), fw.toString());
      }
      Map<String, float[]> after = model.parameters();
      before.forEach((key, values) -> assertArrayEquals(values, after.get(key), key));
    }
  }

  @Test
  void select_l1WithCounts_keepsThoseCounts() {
    Dataset train = TinyExperiment.data().train();
    try (Cnn model = trained(train)) {
      String conv = model.architecture().weightedLayers().get(0).name();
      try (StructuredResult l1 = RUNNER.select(Method.STRUCTURED_L1, model, train, 7,
          Optional.of(Map.of(conv, 3)))) {
        assertEquals(Map.of(conv, 3), l1.keptCounts());
      }
    }
  }

  @Test
  void fineTune_spendsTheWholeBudget() {
    Dataset train = TinyExperiment.data().train();
    long[] gradients = new long[1];
    try (Cnn model = trained(train)) {
      MethodRunner.Outcome o = RUNNER.fineTune(model, train, 0.01, 1, new ProgressListener() {
        @Override
        public void onGradients(long count) {
          gradients[0] += count;
        }
      });
      assertEquals(12, o.gradientEvaluations());
      assertEquals(12, gradients[0]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense-trained-on", "gradual-magnitude", "fw-momentum"})
  void run_withRecalibration_endsAsRunningThenRecalibratingByHand(String id) {
    Method method = Method.fromId(id);
    Dataset train = SyntheticData.bars(96, 8, 4, 3);
    MethodRunner recalibrating = new MethodRunner(0.5, 4, 32, 0.9, 0.5,
        LearningRateSchedule.constant(), 3);
    MethodRunner plain = new MethodRunner(0.5, 4, 32, 0.9, 0.5, LearningRateSchedule.constant());
    try (Cnn withOption = SyntheticData.trainedResNet8(train);
        Cnn byHand = SyntheticData.trainedResNet8(train)) {
      recalibrating.run(method, withOption, train, 0.05, 1, SILENT);
      plain.run(method, byHand, train, 0.05, 1, SILENT);
      byHand.recalibrateBatchNorm(train, 3);
      Map<String, float[]> expected = byHand.parameters();
      Map<String, float[]> actual = withOption.parameters();
      // Same steps, same batches: bit for bit, moving statistics included.
      expected.forEach((key, values) -> assertArrayEquals(values, actual.get(key), key));
    }
  }

  @Test
  void run_structuredMethod_throwsNamingSelect() {
    Dataset train = TinyExperiment.data().train();
    try (Cnn model = TinyExperiment.models().create(0)) {
      for (Method m : List.of(Method.STRUCTURED_FW, Method.STRUCTURED_L1)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RUNNER.run(m, model, train, 0.01, 0, SILENT));
        assertTrue(e.getMessage().contains("select"), e.getMessage());
      }
    }
  }

  @Test
  void select_badMethodOrCounts_throws() {
    Dataset train = TinyExperiment.data().train();
    try (Cnn model = TinyExperiment.models().create(0)) {
      assertThrows(IllegalArgumentException.class,
          () -> RUNNER.select(Method.FW, model, train, 0, Optional.empty()));
      assertThrows(IllegalArgumentException.class, () -> RUNNER.select(Method.STRUCTURED_FW,
          model, train, 0, Optional.of(Map.of("conv2d_1", 1))));
    }
  }
}
