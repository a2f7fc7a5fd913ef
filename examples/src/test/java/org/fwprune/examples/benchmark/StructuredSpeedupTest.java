package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Architecture;
import org.fwprune.pruning.structured.KeepRule;
import org.junit.jupiter.api.Test;

/** The structured speed-up benchmark of docs/performance.md: its rules and its table. */
class StructuredSpeedupTest {

  @Test
  void rules_areUniformAndLatencyGuidedAtHalfAndAQuarter() {
    assertEquals(List.of(KeepRule.uniformFlops(0.5), KeepRule.flops(0.5),
        KeepRule.uniformFlops(0.25), KeepRule.flops(0.25)),
        List.copyOf(StructuredSpeedup.rules().values()));
  }

  @Test
  void table_ratioIsTheMedianOverRoundsOfDenseOverNetwork() {
    Architecture wide = ResNetWidths.resNet20(8, 8, 1, 3, 4, 8, 16);
    Architecture narrow = ResNetWidths.resNet20(8, 8, 1, 3, 2, 4, 8);
    try (Cnn a = Cnn.of(wide); Cnn b = Cnn.of(narrow)) {
      // Column 0 (TF batch 1000), three rounds: ratios 2, 4 and 3, median 3.
      double[][][] ms = new double[4][2][3];
      for (double[][] column : ms) {
        column[0] = new double[] {2, 4, 3};
        column[1] = new double[] {1, 1, 1};
      }

      String table = StructuredSpeedup.table(List.of("dense", "narrow"), List.of(a, b), ms, 3);

      assertTrue(table.contains("| narrow | 2, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8 |"), table);
      assertTrue(table.contains("| 1.0000 | 3.00 |"), table);
    }
  }
}
