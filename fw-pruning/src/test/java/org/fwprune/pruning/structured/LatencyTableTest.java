package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.junit.jupiter.api.Test;

/** {@link LatencyTable}: its widths, its checks, and a prune that allocates by a given table. */
class LatencyTableTest {

  private static final Dataset IMAGES = Models.randomImages(16, 12, 3, 3, 5);

  /** A table for every prunable group of {@code model}: each removed channel saves 1 ms. */
  private static LatencyTable linear(Cnn model) {
    Map<String, Map<Integer, Double>> seconds = new LinkedHashMap<>();
    for (ChannelGroups.Group g : ChannelGroups.of(model.architecture()).prunable()) {
      Map<Integer, Double> byWidth = new LinkedHashMap<>();
      LatencyTable.widths(g.channels()).forEach(w -> byWidth.put(w, 0.1 - 1e-3 * (g.channels() - w)));
      seconds.put(g.name(), byWidth);
    }
    return LatencyTable.of(64, seconds);
  }

  @Test
  void widths_ofSixteen_areTheMultiplesOf8UpToIt() {
    assertEquals(List.of(8, 16), LatencyTable.widths(16));
  }

  @Test
  void widths_ofTwenty_endWithTheFullWidth() {
    assertEquals(List.of(8, 16, 20), LatencyTable.widths(20));
  }

  @Test
  void widths_ofFewerThan16_areEveryCount() {
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), LatencyTable.widths(10));
  }

  @Test
  void saved_isTheLeastSquaresSlopeTimesTheChannelsRemoved() {
    // Noise: width 8 measured slower than 16. The line through the three points rises 6.25e-6 s
    // per channel, so narrowing 24 -> 8 saves 16 times that, 1e-4 s.
    LatencyTable t = LatencyTable.of(1, Map.of("g", Map.of(8, 0.9e-3, 16, 0.8e-3, 24, 1e-3)));

    assertEquals(1e-4, t.saved("g", 24, 8), 1e-15);
  }

  @Test
  void saved_timesFallingWithWidth_isZero() {
    LatencyTable t = LatencyTable.of(1, Map.of("g", Map.of(8, 2e-3, 16, 1e-3)));

    assertEquals(0, t.saved("g", 16, 8));
  }

  @Test
  void of_negativeSeconds_throwsWithTheAllowedRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LatencyTable.of(1, Map.of("g", Map.of(8, -1.0))));

    assertEquals("latency table group g: widths must be >= 1 and seconds finite and >= 0, got"
        + " 8 -> -1.0", e.getMessage());
  }

  @Test
  void measure_coversEveryPrunableGroupAtEveryWidth() {
    // Small on purpose: one network is built per (group, width), 2 + 3 here.
    try (Cnn model = Cnn.builder().input(6, 6, 1).conv2d(2, 3).relu().flatten().dense(3).relu()
        .dense(2).softmax().seed(1).build()) {
      LatencyTable t = LatencyTable.measure(model, 2, 1);

      List<ChannelGroups.Group> groups = ChannelGroups.of(model.architecture()).prunable();
      t.checkCovers(groups);
      assertEquals(groups.size(), t.secondsPerExample().size());
      assertTrue(t.measurementSeconds() > 0, t.toString());
    }
  }

  @Test
  void prune_flopsWithAGivenTable_reportsItAndPredictsAsTheZeroedOriginal() {
    try (Cnn model = Models.residual(7, false)) {
      Models.randomNormsAndBiases(model, 8);
      LatencyTable table = linear(model);
      try (StructuredResult r = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
          .keep(KeepRule.flops(0.5)).latencyTable(table).fineTuneSteps(0)
          .batchNormRecalibration(0).build().prune(model, IMAGES)) {
        assertEquals(Optional.of(table), r.latency());
        assertTrue(r.flopsAfter() <= 0.5 * r.flopsBefore(), r.toString());
        Map<String, List<Integer>> kept = new LinkedHashMap<>();
        r.layers().forEach(l -> kept.put(l.name(), l.kept()));
        try (Cnn zeroed = Models.zeroedCopy(model, kept, Map.of())) {
          // Within 1e-5 per score (FloatAsserts.GRAPH_TOLERANCE), float32 graphs.
          Models.assertSamePredictions(zeroed, r.model(), IMAGES);
        }
      }
    }
  }

  @Test
  void prune_uniformRule_reportsNoTable() {
    try (Cnn model = Models.residual(7, false);
        StructuredResult r = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
            .keep(KeepRule.uniformFlops(0.5)).fineTuneSteps(0).batchNormRecalibration(0).build()
            .prune(model, IMAGES)) {
      assertEquals(Optional.empty(), r.latency());
    }
  }
}
