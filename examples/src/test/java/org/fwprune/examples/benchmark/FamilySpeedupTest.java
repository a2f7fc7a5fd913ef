package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.pruning.structured.KeepRule;
import org.junit.jupiter.api.Test;

/** The 224x224 family speed-up benchmark of docs/performance.md, on a tiny ResNet. */
class FamilySpeedupTest {

  /** ResNet-20's topology on 8x8x3 images, stages of 16, 16 and 32 channels. */
  private static Cnn tiny() {
    return Cnn.of(ResNetWidths.resNet20(8, 8, 3, 5, 16, 16, 32));
  }

  @Test
  void rules_areUniformAndRoundedToEightAtHalf() {
    assertEquals(List.of(KeepRule.uniformFlops(0.5), KeepRule.flops(0.5, 8)),
        List.copyOf(FamilySpeedup.rules().values()));
  }

  @Test
  void run_tinyNetwork_timesDenseAndOneNetworkPerRuleAtHalfTheMultiplyAdds() throws Exception {
    List<String> lines = new ArrayList<>();
    try (Cnn dense = tiny()) {
      FamilySpeedup.Comparison c = FamilySpeedup.run("tiny", dense, 2, 2, 1, lines::add);

      assertEquals(List.of("dense", "uniformFlops(0.5)", "flops(0.5, 8)"),
          c.networks().stream().map(FamilySpeedup.Network::label).toList());
      long denseMacs = c.networks().get(0).multiplyAdds();
      for (int m = 1; m < 3; m++) {
        FamilySpeedup.Network n = c.networks().get(m);
        assertTrue(n.multiplyAdds() <= denseMacs / 2, n.toString());
        assertTrue(n.parameters() < c.networks().get(0).parameters(), n.toString());
      }
      assertEquals(2, c.rounds());
      for (int col = 0; col < FamilySpeedup.COLUMNS.size(); col++) {
        // The dense network over itself, in every round.
        assertEquals(1.0, c.speedUp(col, 0), 0);
        for (int m = 0; m < 3; m++) {
          assertTrue(c.msPerImage(col, m) > 0, col + "/" + m);
        }
      }
      String table = c.table();
      assertEquals(5, table.lines().count(), table);
      assertTrue(table.lines().skip(2).allMatch(l -> l.startsWith("| tiny |")
          && l.split("\\|", -1).length == 2 + 5 + 2 * FamilySpeedup.COLUMNS.size()), table);
      // Two pruning lines, then the table after each round.
      assertEquals(4, lines.size(), String.join("\n", lines));
      assertTrue(lines.get(3).contains("After round 2 of 2"), lines.get(3));
    }
  }

  @Test
  void run_badArguments_throw() {
    try (Cnn dense = tiny()) {
      assertThrows(IllegalArgumentException.class,
          () -> FamilySpeedup.run(" ", dense, 1, 1, 1, line -> {}));
      assertThrows(IllegalArgumentException.class,
          () -> FamilySpeedup.run("tiny", dense, 0, 1, 1, line -> {}));
      assertThrows(IllegalArgumentException.class,
          () -> FamilySpeedup.run("tiny", dense, 1, 0, 1, line -> {}));
      assertThrows(IllegalArgumentException.class,
          () -> FamilySpeedup.latencyCost(dense, 0));
    }
  }

  @Test
  void latencyCost_countsOneNetworkPerGroupAndWidthAndMultiplies() {
    try (Cnn dense = tiny()) {
      FamilySpeedup.LatencyCost cost = FamilySpeedup.latencyCost(dense, 2);

      // Every group of this network has 16 or 32 channels: widths 8, 16 or 8, 16, 24, 32.
      assertTrue(cost.networks() >= 2 && cost.widestGroup() == 4, cost.toString());
      assertEquals(dense.parameterCount(), cost.parameters());
      assertEquals(cost.networks() * (cost.buildSeconds() + cost.callsPerNetwork()
          * cost.callSeconds()), cost.estimateSeconds(), 1e-9);
      assertTrue(cost.toString().startsWith("latency table at batch 2: "), cost.toString());
    }
  }
}
