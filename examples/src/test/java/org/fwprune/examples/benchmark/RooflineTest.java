package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.examples.benchmark.Roofline.Config;
import org.fwprune.examples.benchmark.Roofline.Mode;
import org.fwprune.examples.benchmark.Roofline.Peak;
import org.fwprune.examples.benchmark.Roofline.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The roofline benchmark of docs/performance.md: its arithmetic, its arguments and its table. */
class RooflineTest {

  private static final double TOLERANCE = 1e-9;

  @Test
  void peak_isTwoNCubedOverTheMedian() {
    // 2 * 1000^3 = 2e9 operations in 0.5 s: 4 GFLOP/s (hand computation).
    assertEquals(4.0, new Peak(1000, 0.5).gflops(), TOLERANCE);
  }

  @Test
  void row_trainingCountsSixAndInferenceTwoFlopsPerMultiplyAdd() {
    // 1,000 images/s x 2,440,960 multiply-adds (the paper CNN) = 2.44096e9 multiply-adds/s.
    Row training = new Row("paper", Mode.TRAINING, 128, 2_440_960, 1000, 100);
    Row inference = new Row("paper", Mode.INFERENCE, 1000, 2_440_960, 1000, 100);

    assertEquals(6 * 2.44096, training.gflops(), TOLERANCE);
    assertEquals(2 * 2.44096, inference.gflops(), TOLERANCE);
    assertEquals(6 * 2.44096 / 100, training.fractionOfPeak(), TOLERANCE);
  }

  @ParameterizedTest
  @CsvSource({
      "-1, 8, 4, 1, 8, 0, 1, threads",
      "1, 0, 4, 1, 8, 0, 1, matrix size",
      "1, 8, 0, 1, 8, 0, 1, trainBatch",
      "1, 8, 4, 0, 8, 0, 1, trainSteps",
      "1, 8, 4, 1, 1001, 0, 1, inferenceBatch",
      "1, 8, 4, 1, 8, -1, 1, warmup",
      "1, 8, 4, 1, 8, 0, 0, rounds"})
  void config_badValue_throwsNamingIt(int threads, int size, int trainBatch, int trainSteps,
      int inferenceBatch, int warmup, int rounds, String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Config(threads, List.of(size), trainBatch, trainSteps, inferenceBatch, warmup,
            rounds));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @Test
  void config_noSizes_throws() {
    assertThrows(IllegalArgumentException.class,
        () -> new Config(1, List.of(), 4, 1, 8, 0, 1));
  }

  @Test
  void run_tinySettings_givesOnePeakPerSizeAndBothNetworksInBothModes() {
    Roofline.Report report = Roofline.run(new Config(1, List.of(32, 64), 4, 2, 8, 0, 1));

    assertEquals(List.of(32, 64), report.peaks().stream().map(Peak::n).toList());
    report.peaks().forEach(p -> assertTrue(p.gflops() > 0, p.toString()));
    double peak = Math.max(report.peaks().get(0).gflops(), report.peaks().get(1).gflops());
    assertEquals(peak, report.peakGflops(), TOLERANCE);
    assertEquals(List.of("paper/TRAINING", "paper/INFERENCE", "resnet20/TRAINING",
        "resnet20/INFERENCE"), report.rows().stream().map(r -> r.network() + "/" + r.mode())
            .toList());
    // The paper CNN's multiply-adds, from Flops' Javadoc (hand count per layer).
    assertEquals(2_440_960, report.rows().get(0).multiplyAdds());
    for (Row r : report.rows()) {
      assertTrue(r.imagesPerSecond() > 0, r.toString());
      assertEquals(r.gflops() / peak, r.fractionOfPeak(), TOLERANCE);
    }
    String table = report.table();
    assertTrue(table.contains("| sgemm n | median ms | GFLOP/s |"), table);
    assertTrue(table.contains("| resnet20 | inference | 8 |"), table);
    // One line per network and mode in the networks' table.
    assertEquals(4, table.lines().filter(l -> l.startsWith("| paper |")
        || l.startsWith("| resnet20 |")).count(), table);
  }
}
