package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.Network;
import org.junit.jupiter.api.Test;

/** The lines of {@code benchmark --precision-and-xla}, on tiny synthetic data. */
class PrecisionComparisonTest {

  @Test
  void run_paperNetwork_timesAndTrainsEverySettingInOrder() {
    Dataset train = SyntheticData.bars(64, 28, 10, 1);
    Dataset test = SyntheticData.bars(8, 28, 10, 2);
    List<Map<String, Object>> lines = new ArrayList<>();

    PrecisionComparison.run(Network.PAPER, train, test, 1,
        new FrameworkComparison.Settings(16, 1, 2, 1, 0.05, 0.9, 2, 1), 2, lines::add);

    assertEquals(6, lines.size());
    List<String> settings = List.of("float32", "xla", "bfloat16_mixed");
    for (int i = 0; i < 3; i++) {
      Map<String, Object> timing = lines.get(i);
      assertEquals("precision_timing", timing.get("kind"));
      assertEquals(settings.get(i), timing.get("setting"));
      assertEquals(2, ((List<?>) timing.get("train_images_per_s_chunks")).size());
      assertTrue((Double) timing.get("predict_ms_per_example_batch_8") > 0, timing.toString());
      Map<String, Object> accuracy = lines.get(3 + i);
      assertEquals("precision_accuracy", accuracy.get("kind"));
      assertEquals(settings.get(i), accuracy.get("setting"));
    }
    assertEquals(1.0, lines.get(0).get("train_ratio_to_float32"));
    assertEquals(0.0, lines.get(3).get("points_vs_float32"));
  }
}
