package org.fwprune.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Training;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  private static final Dataset DATA = SyntheticData.bars(300, 8, 4, 11);

  @Test
  void evaluate_matchesPredictionsComputedInJava() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 2)) {
      model.fit(DATA, Training.builder().batchSize(32).build());
      float[][] p = model.predict(DATA);
      int correct = 0;
      double loss = 0;
      for (int i = 0; i < p.length; i++) {
        int best = 0;
        for (int c = 1; c < 4; c++) {
          best = p[i][c] > p[i][best] ? c : best;
        }
        correct += best == DATA.label(i) ? 1 : 0;
        loss -= Math.log(p[i][DATA.label(i)]);
      }
      Evaluation e = model.evaluate(DATA);
      assertEquals(correct / 300.0, e.accuracy(), 1e-9);
      // float32 softmax against the graph's log-sum-exp: agree to 1e-4 in mean loss.
      assertEquals(loss / 300, e.loss(), 1e-4);
      assertEquals(300, e.size());
    }
  }

  @Test
  void evaluate_fromFourThreads_equalsSingleThread() throws Exception {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 2)) {
      Evaluation single = model.evaluate(DATA);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Evaluation>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          results.add(pool.submit(() -> model.evaluate(DATA)));
        }
        for (Future<Evaluation> f : results) {
          assertEquals(single, f.get());
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void predict_rowsAreProbabilities() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 2)) {
      for (float[] row : model.predict(DATA.subset(0, 10))) {
        double sum = 0;
        for (float v : row) {
          assertTrue(v >= 0 && v <= 1);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
  }
}
