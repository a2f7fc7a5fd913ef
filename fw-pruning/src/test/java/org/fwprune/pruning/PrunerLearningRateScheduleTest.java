package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/** The pruners' fine-tune follows {@code learningRateSchedule} over the gradient budget. */
class PrunerLearningRateScheduleTest {

  private static final Dataset TRAIN = SyntheticData.bars(64, 8, 4, 1);

  /** One-shot pruning at the first step, then {@code steps} fine-tune steps on batches of 8. */
  private static Map<String, float[]> pruneAndFineTune(long steps, LearningRateSchedule schedule) {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 3)) {
      MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(0.5)
          .steps(steps).batchSize(8).seed(3).learningRateSchedule(schedule).build()
          .prune(model, TRAIN);
      return model.parameters();
    }
  }

  private static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (String key : a.keySet()) {
      float[] x = a.get(key);
      float[] y = b.get(key);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }

  @Test
  void stepDecay_afterTheDecayPoint_weightsBarelyMove() {
    // A decay by 1e-7 at half of 8 steps leaves the weights of 4 constant-rate steps: the last
    // four move each weight by at most lr * 1e-7 * |accumulated gradient|, far below 1e-5.
    Map<String, float[]> decayed = pruneAndFineTune(8, LearningRateSchedule.stepDecay(1e-7, 0.5));
    Map<String, float[]> fourSteps = pruneAndFineTune(4, LearningRateSchedule.constant());
    assertTrue(maxDifference(decayed, fourSteps) < 1e-5,
        "max difference " + maxDifference(decayed, fourSteps));
  }

  @Test
  void stepDecay_changesTheRun() {
    // The control: without the decay, the last four steps move the weights visibly (> 1e-4).
    Map<String, float[]> constant = pruneAndFineTune(8, LearningRateSchedule.constant());
    Map<String, float[]> fourSteps = pruneAndFineTune(4, LearningRateSchedule.constant());
    assertTrue(maxDifference(constant, fourSteps) > 1e-4,
        "max difference " + maxDifference(constant, fourSteps));
  }

  @Test
  void learningRateSchedule_null_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FwPruner.builder().learningRateSchedule(null));
    assertEquals("learningRateSchedule must not be null", e.getMessage());
  }
}
