package org.fwprune.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.Refusals;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.core.train.internal.TrainStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingTest {

  private static final Dataset TRAIN = SyntheticData.bars(512, 8, 4, 1);
  private static final Dataset TEST = SyntheticData.bars(256, 8, 4, 2);

  static List<OptimizerSpec> optimizers() {
    return List.of(Optimizers.sgd(0.1), Optimizers.momentum(0.05, 0.9),
        Optimizers.nesterov(0.05, 0.9), Optimizers.adam(0.01));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void fit_learnsSeparableTask(OptimizerSpec optimizer) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      double before = model.evaluate(TEST).loss();
      model.fit(TRAIN, Training.builder().optimizer(optimizer).batchSize(32).epochs(5).build());
      // Four bright bars in noise: a working optimizer gets far above chance (0.25).
      assertTrue(model.evaluate(TEST).accuracy() > 0.9, () -> "accuracy " + model.evaluate(TEST));
      assertTrue(model.evaluate(TEST).loss() < before);
    }
  }

  @Test
  void trainStep_isBuiltOncePerUpdateKind_andReusedForOtherRates() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      ModelGraph g = ModelGraph.of(model.prunable());
      List<TrainStep> steps = new ArrayList<>();
      for (OptimizerSpec spec : optimizers()) {
        steps.add(TrainStep.of(g, spec));
      }
      // Nesterov and plain momentum differ in ops, so each of the four kinds has its own step.
      assertEquals(optimizers().size(), steps.stream().distinct().count());
      // Rates are fed, not built in: the same kind with other values reuses the step.
      assertSame(steps.get(1), TrainStep.of(g, Optimizers.momentum(0.5, 0.1)));
      assertSame(steps.get(2), TrainStep.of(g, Optimizers.nesterov(0.5, 0.1)));
      assertSame(steps.get(3), TrainStep.of(g, Optimizers.adam(0.5, 0.8, 0.9, 1e-3)));
    }
  }

  @Test
  void fit_sameSeeds_givesIdenticalWeights() {
    try (Cnn a = SyntheticData.smallCnn(8, 4, 5); Cnn b = SyntheticData.smallCnn(8, 4, 5)) {
      Training t = Training.builder().batchSize(16).epochs(2).seed(9).build();
      a.fit(TRAIN, t);
      b.fit(TRAIN, t);
      assertArrayEquals(a.parameters().get("dense_1/kernel"), b.parameters().get("dense_1/kernel"));
    }
  }

  @Test
  void fit_trainsOnTheSamplersBatchesInOrder() {
    // fit fills batches in the background; a plain loop over the same sampler must give the very
    // same weights (exact equality: same graph, same inputs, same op order).
    OptimizerSpec sgd = Optimizers.sgd(0.1);
    try (Cnn fitted = SyntheticData.smallCnn(8, 4, 5); Cnn manual = SyntheticData.smallCnn(8, 4, 5)) {
      fitted.fit(TRAIN, Training.builder().optimizer(sgd).batchSize(32).steps(20).seed(9).build());
      ModelGraph g = ModelGraph.of(manual.prunable());
      BatchSampler sampler = new BatchSampler(TRAIN, 32, true, 9);
      try (InputBatch batch = sampler.newBatch()) {
        for (int i = 0; i < 20; i++) {
          sampler.next(batch);
          TrainStep.of(g, sgd).run(g, sgd, batch, List.of());
        }
      }
      for (String name : fitted.parameters().keySet()) {
        assertArrayEquals(manual.parameters().get(name), fitted.parameters().get(name), name);
      }
    }
  }

  @Test
  void fit_recordsOneStatsRowPerEpochWithValidation() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      History h = model.fit(TRAIN, Training.builder().batchSize(100).epochs(3)
          .validation(TEST).build());
      assertEquals(3, h.epochs().size());
      // ceil(512 / 100) = 6 steps per epoch.
      assertEquals(6, h.last().steps());
      assertEquals(18, h.steps());
      assertTrue(h.last().validationAccuracy() >= 0 && h.last().validationAccuracy() <= 1);
      assertTrue(h.last().seconds() > 0);
    }
  }

  @Test
  void steps_stopsAfterExactlyThatManySteps() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      // 512 / 32 = 16 steps per epoch; 20 steps = one full epoch and 4 steps of the next.
      History h = model.fit(TRAIN, Training.builder().batchSize(32).steps(20).build());
      assertEquals(20, h.steps());
      assertEquals(2, h.epochs().size());
    }
  }

  @Test
  void listener_seesEveryStepAndEpoch() {
    List<String> events = new ArrayList<>();
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      model.fit(TRAIN, Training.builder().batchSize(256).epochs(2).listener(new TrainingListener() {
        @Override
        public void onStart(int epochs, int stepsPerEpoch) {
          events.add("start " + epochs + "x" + stepsPerEpoch);
        }

        @Override
        public void onStep(int epoch, int step, double loss) {
          events.add("step " + epoch + "." + step);
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
          events.add("epoch " + stats.epoch());
        }
      }).build());
    }
    assertEquals(List.of("start 2x2", "step 1.1", "step 1.2", "epoch 1", "step 2.1", "step 2.2",
        "epoch 2"), events);
  }

  @Test
  void fit_wrongImageShape_throwsNamingBothShapes() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      Dataset other = SyntheticData.bars(10, 10, 4, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.fit(other, Training.builder().build()));
      assertEquals("training data has 10x10x1 images but the model expects 8x8x1", e.getMessage());
    }
  }

  @Test
  void fit_moreClassesThanOutputs_throws() {
    try (Cnn model = SyntheticData.smallCnn(8, 2, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.evaluate(TRAIN));
      assertEquals("evaluation data has 4 classes but the model outputs 2", e.getMessage());
    }
  }

  @Test
  void fit_divergingLearningRate_stopsNamingEpochAndStepAndKeepsFiniteWeights() {
    Dataset exploding = SyntheticData.exploding();
    try (Cnn model = SyntheticData.linear()) {
      DivergenceException e = assertThrows(DivergenceException.class, () -> model.fit(exploding,
          Training.builder().optimizer(Optimizers.sgd(1)).batchSize(8).epochs(50).build()));
      assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", step " + e.step()),
          e.getMessage());
      for (Map.Entry<String, float[]> p : model.parameters().entrySet()) {
        for (float v : p.getValue()) {
          assertTrue(Float.isFinite(v), p.getKey() + " holds " + v);
        }
      }
    }
  }

  @Test
  void fit_whileAnotherRunHoldsTheModel_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      try (ModelGraph.Lease lease = ModelGraph.of(model.prunable()).exclusive("prune")) {
        IllegalStateException seen = Refusals.illegalStateOnAnotherThread(
            () -> model.fit(TRAIN, Training.builder().build()));
        assertTrue(seen != null && seen.getMessage().contains("already being trained"),
            String.valueOf(seen));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void maskedWeights_stayZeroThroughMomentumTraining() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).build());
      float[] mask = new float[model.parameters().get("dense_1/kernel").length];
      for (int i = 0; i < mask.length; i += 2) {
        mask[i] = 1;
      }
      ModelGraph.of(model.prunable()).write("dense_1/mask", mask);
      ModelGraph.of(model.prunable()).run(ModelGraph.of(model.prunable()).maskWeightsOp());
      model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).epochs(2)
          .build());
      float[] kernel = model.parameters().get("dense_1/kernel");
      for (int i = 1; i < kernel.length; i += 2) {
        assertEquals(0f, kernel[i], 0f, "pruned weight " + i);
      }
      assertFalse(kernel[0] == 0f);
    }
  }

  @Test
  void builder_outOfRange_throwsWithAllowedRange() {
    assertEquals("batchSize must be in [1, 65536], got 0", assertThrows(
        IllegalArgumentException.class, () -> Training.builder().batchSize(0)).getMessage());
    assertEquals("epochs must be in [1, 100000], got 0", assertThrows(
        IllegalArgumentException.class, () -> Training.builder().epochs(0)).getMessage());
    assertEquals("learning rate must be in (0, 10], got -1.0", assertThrows(
        IllegalArgumentException.class, () -> Optimizers.sgd(-1)).getMessage());
    assertEquals("momentum must be in [0, 1), got 1.0", assertThrows(
        IllegalArgumentException.class, () -> Optimizers.momentum(0.1, 1)).getMessage());
    assertEquals("steps must be at least 1, got 0", assertThrows(
        IllegalArgumentException.class, () -> Training.builder().steps(0)).getMessage());
  }

  @Test
  void learningRateSchedule_feedsTheDecayedRateFromItsStep() {
    // Step decay by 10 after half of 20 steps must equal a plain loop over the same batches that
    // switches from 0.1 to 0.01 at step 10 (exact: same graph, inputs and op order).
    OptimizerSpec sgd = Optimizers.sgd(0.1);
    OptimizerSpec decayed = Optimizers.sgd(0.01);
    try (Cnn fitted = SyntheticData.smallCnn(8, 4, 5); Cnn manual = SyntheticData.smallCnn(8, 4, 5)) {
      fitted.fit(TRAIN, Training.builder().optimizer(sgd).batchSize(32).steps(20).seed(9)
          .learningRateSchedule(LearningRateSchedule.stepDecay(0.1, 0.5)).build());
      ModelGraph g = ModelGraph.of(manual.prunable());
      BatchSampler sampler = new BatchSampler(TRAIN, 32, true, 9);
      try (InputBatch batch = sampler.newBatch()) {
        for (int i = 0; i < 20; i++) {
          sampler.next(batch);
          OptimizerSpec now = i < 10 ? sgd : decayed;
          TrainStep.of(g, now).run(g, now, batch, List.of());
        }
      }
      for (String name : fitted.parameters().keySet()) {
        assertArrayEquals(manual.parameters().get(name), fitted.parameters().get(name), 1e-7f,
            name);
      }
    }
  }

  @Test
  void builder_epochsAndSteps_isRefused() {
    assertEquals("set the run's length with epochs(...) or with steps(...), not both",
        assertThrows(IllegalStateException.class,
            () -> Training.builder().epochs(2).steps(10).build()).getMessage());
  }

  @Test
  void toBuilder_mayChangeTheRunsLength() {
    Training bySteps = Training.builder().steps(10).build();
    Training byEpochs = bySteps.toBuilder().epochs(3).build();
    assertEquals(0, byEpochs.maxSteps());
    assertEquals(3, byEpochs.epochs());
    assertEquals(7, byEpochs.toBuilder().steps(7).build().maxSteps());
  }
}
