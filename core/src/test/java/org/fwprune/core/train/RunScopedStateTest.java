package org.fwprune.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

class RunScopedStateTest {

  private static final Dataset TRAIN = SyntheticData.bars(256, 8, 4, 3);

  /** No dropout: its random stream advances with every run, so two graphs would differ. */
  private static Cnn net() {
    return Cnn.builder().input(8, 8, 1).conv2d(4, 3).relu().maxPool(2).flatten().dense(4)
        .softmax().seed(2).build();
  }

  private static Training momentum(double lr) {
    return Training.builder().optimizer(Optimizers.momentum(lr, 0.9)).batchSize(32).steps(5)
        .seed(1).build();
  }

  @Test
  void fit_withAnEarlierSetting_startsWithFreshMomentum() {
    // A: lr 0.1, 0.05, then 0.1 again. B: the same first two fits, then a copy (which has no
    // optimizer state) fitted with lr 0.1. Equal weights mean the third fit of A did not resume
    // the momentum of its first; exact equality: same graph kind, same batches.
    try (Cnn a = net(); Cnn b = net()) {
      for (Cnn m : new Cnn[] {a, b}) {
        m.fit(TRAIN, momentum(0.1));
        m.fit(TRAIN, momentum(0.05));
      }
      a.fit(TRAIN, momentum(0.1));
      try (Cnn c = b.copy()) {
        c.fit(TRAIN, momentum(0.1));
        Map<String, float[]> expected = c.parameters();
        a.parameters().forEach((k, v) -> assertArrayEquals(expected.get(k), v, k));
      }
    }
  }

  @Test
  void fitsWithDistinctLearningRates_doNotGrowTheGraph() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 2)) {
      model.fit(TRAIN, momentum(0.01));
      long ops = ModelGraph.of(model.prunable()).opCount();
      for (int i = 2; i <= 30; i++) {
        model.fit(TRAIN, momentum(0.01 * i));
      }
      assertEquals(ops, ModelGraph.of(model.prunable()).opCount());
    }
  }
}
