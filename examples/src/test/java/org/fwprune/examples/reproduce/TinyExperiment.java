package org.fwprune.examples.reproduce;

import java.util.List;
import org.fwprune.core.testing.SyntheticData;

/** Tiny synthetic data and a small CNN, so that a whole reproduction runs in a few seconds. */
final class TinyExperiment {

  static final int SIDE = 8;
  static final int CLASSES = 4;

  private TinyExperiment() {}

  /** 128 training, 64 validation and 64 test images of horizontal bars (fixed seeds). */
  static ExperimentData data() {
    return new ExperimentData(SyntheticData.bars(128, SIDE, CLASSES, 1),
        SyntheticData.bars(64, SIDE, CLASSES, 2), SyntheticData.bars(64, SIDE, CLASSES, 3));
  }

  /** A conv-pool-dense network of 180 kernel weights per seed. */
  static ModelFactory models() {
    return seed -> SyntheticData.smallCnn(SIDE, CLASSES, seed);
  }

  /** Budgets 1 and 2, two seeds, 12 gradients per method at batch 32, 50% target, two rates. */
  static ReproduceConfig.Builder config(Method... methods) {
    ReproduceConfig.Builder b = ReproduceConfig.builder().budgets(List.of(1, 2)).seeds(2)
        .fineTuneSteps(12).batchSize(32).lrGrid(List.of(0.01, 0.1)).tuneBudget(1)
        .targetSparsity(0.5);
    return methods.length == 0 ? b : b.methods(List.of(methods));
  }
}
