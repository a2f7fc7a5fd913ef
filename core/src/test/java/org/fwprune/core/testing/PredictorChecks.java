package org.fwprune.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.serving.Predictor;

/** Checks every serving engine must pass, shared with other modules through the test jar. */
public final class PredictorChecks {

  private PredictorChecks() {}

  /**
   * Predicts every image of {@code data} on one thread, then each image 8 times spread over 4
   * threads at once, and asserts that every concurrent answer equals the single-threaded one
   * exactly (the same engine on the same input computes the same floats).
   */
  public static void assertFourThreadsEqualOne(Predictor predictor, Dataset data)
      throws Exception {
    List<float[]> sequential = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      sequential.add(predictor.predict(data.image(i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> answers = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (int i = 0; i < data.size(); i++) {
          float[] image = data.image(i);
          answers.add(pool.submit(() -> predictor.predict(image)));
        }
      }
      for (int k = 0; k < answers.size(); k++) {
        assertArrayEquals(sequential.get(k % data.size()), answers.get(k).get(),
            "image " + (k % data.size()) + ", round " + k / data.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
