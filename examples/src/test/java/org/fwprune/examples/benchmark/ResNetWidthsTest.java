package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.pruning.structured.Flops;
import org.junit.jupiter.api.Test;

/** The width benchmark of docs/structured.md: its networks and its table. */
class ResNetWidthsTest {

  @Test
  void resNet20_at16_32_64_hasTheMultiplyAddsAndParametersOfArchitecturesResNet() {
    Architecture ours = ResNetWidths.resNet20(28, 28, 1, 10, 16, 32, 64);
    Architecture reference = Architectures.resNet(20, 28, 28, 1, 10);

    assertEquals(Flops.perExample(reference), Flops.perExample(ours));
    try (Cnn a = Cnn.of(ours); Cnn b = Cnn.of(reference)) {
      assertEquals(b.parameterCount(), a.parameterCount());
    }
  }

  @Test
  void run_tinyNetworks_firstIsTheReferenceAndEveryRowIsTimed() {
    Dataset data = SyntheticData.bars(16, 8, 4, 1);

    List<ResNetWidths.Row> rows = ResNetWidths.run(data, List.of(new int[] {4, 8, 16},
        new int[] {2, 4, 8}), 1, 2, 8, 1, r -> { });

    assertEquals(1.0, rows.get(0).largeRatio(), 1e-12);
    assertTrue(rows.get(1).macs() < rows.get(0).macs(), rows.toString());
    assertTrue(rows.get(1).smallMs() > 0 && rows.get(1).largeMs() > 0, rows.toString());
    assertTrue(ResNetWidths.markdown(rows).contains("| 2/4/8 |"));
  }

  @Test
  void parse_twoWidths_throwsSayingThreeAreNeeded() {
    assertEquals("widths must be three stage widths like 16/32/64, got '16/32'",
        assertThrows(IllegalArgumentException.class, () -> ResNetWidths.parse("16/32"))
            .getMessage());
  }
}
