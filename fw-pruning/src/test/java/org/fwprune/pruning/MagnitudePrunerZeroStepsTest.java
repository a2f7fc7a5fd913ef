package org.fwprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

/** {@code MagnitudePruner} with {@code steps(0)}: prune to the target, no retraining. */
class MagnitudePrunerZeroStepsTest {

  private static final Dataset TRAIN = SyntheticData.bars(64, 8, 4, 1);

  @Test
  void oneShotZeroSteps_reachesTargetWithoutChangingKeptWeights() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 3)) {
      Map<String, float[]> before = model.parameters();
      PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
          .targetSparsity(0.9).steps(0).build().prune(model, TRAIN);
      assertEquals(0, r.gradientEvaluations());
      assertEquals(0, r.steps());
      // round(0.9 N) zeros over all kernels: exact up to one weight.
      assertEquals(0.9, r.sparsity(), 1.0 / r.parameters());
      Map<String, float[]> after = model.parameters();
      for (String key : before.keySet()) {
        float[] b = before.get(key);
        float[] a = after.get(key);
        for (int i = 0; i < b.length; i++) {
          // Every entry is either zeroed or left exactly as it was: nothing was trained.
          if (a[i] != 0f) {
            assertEquals(b[i], a[i], 0f, key + "[" + i + "]");
          }
        }
      }
    }
  }

  @Test
  void build_gradualWithZeroSteps_throws() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MagnitudePruner.builder().mode(MagnitudePruner.Mode.GRADUAL).steps(0).build());
    assertEquals("steps(0) prunes without retraining and needs mode ONE_SHOT; mode GRADUAL needs"
        + " steps >= 1", e.getMessage());
  }

  @Test
  void build_zeroStepsAndEpochs_isRefused() {
    // steps(0) is a budget like any other: giving epochs too is a conflict, not a replacement.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT).steps(0).epochs(1)
            .build());
    assertEquals("set the budget with epochs(...) or with steps(...), not both", e.getMessage());
  }
}
