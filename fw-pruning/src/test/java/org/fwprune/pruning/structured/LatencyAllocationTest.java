package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fwprune.core.Architectures;
import org.fwprune.core.model.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The widths of the latency-guided {@code KeepRule.flops(f)} and {@code filters(f)} on ResNet-20's
 * architecture, from hand-given latency tables and scores: no timing is involved, so every result
 * is exact.
 */
class LatencyAllocationTest {

  private static final Architecture RESNET = Architectures.resNet(20, 28, 28, 1, 10);
  private static final List<ChannelGroups.Group> GROUPS = FilterSelector.considered(RESNET, true);
  /** ResNet-20's stage-1 residual group: the stem conv and the second conv of each block. */
  private static final String STAGE_1 = GROUPS.get(0).name();

  /**
   * A table in which narrowing a group saves {@code weight(group)} times its fraction of removed
   * channels, in seconds per example, from a whole network of 1 s.
   */
  private static LatencyTable table(ToDoubleFunction<ChannelGroups.Group> weight) {
    Map<String, Map<Integer, Double>> seconds = new LinkedHashMap<>();
    for (ChannelGroups.Group g : GROUPS) {
      Map<Integer, Double> byWidth = new LinkedHashMap<>();
      for (int w : LatencyTable.widths(g.channels())) {
        byWidth.put(w, 1 - weight.applyAsDouble(g) * (g.channels() - w) / g.channels());
      }
      seconds.put(g.name(), byWidth);
    }
    return LatencyTable.of(1000, seconds);
  }

  /** Channel {@code c} of every group scores {@code N - c}: distinct, the same shape everywhere. */
  private static Map<String, double[]> scores() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (ChannelGroups.Group g : GROUPS) {
      double[] s = new double[g.channels()];
      Arrays.setAll(s, c -> g.channels() - c);
      out.put(g.name(), s);
    }
    return out;
  }

  private static Map<String, Integer> targets(KeepRule rule, LatencyTable table) {
    return FilterSelector.targets(RESNET, GROUPS, rule, scores(), table);
  }

  private static long flops(Map<String, Integer> counts) {
    return Flops.perExample(FilterSurgery.shrink(RESNET, counts));
  }

  @Test
  void flopsHalf_staysWithinTheMultiplyAddBudget() {
    Map<String, Integer> counts = targets(KeepRule.flops(0.5), table(g -> 0.05));

    assertTrue(flops(counts) <= 0.5 * Flops.perExample(RESNET), counts.toString());
  }

  @Test
  void flopsQuarter_everyWidthIsInTheFastSet() {
    Map<String, Integer> counts = targets(KeepRule.flops(0.25), table(g -> 0.05));

    for (ChannelGroups.Group g : GROUPS) {
      assertTrue(LatencyTable.widths(g.channels()).contains(counts.get(g.name())),
          g.name() + " keeps " + counts.get(g.name()));
    }
  }

  @Test
  void flopsHalf_narrowsTheGroupWhereTheTimeGoesToItsSmallestWidth() {
    // Only the stage-1 residual group's width costs time; the uniform rule keeps 11 of its 16.
    Map<String, Integer> counts = targets(KeepRule.flops(0.5),
        table(g -> g.name().equals(STAGE_1) ? 0.5 : 0));

    assertEquals(8, counts.get(STAGE_1), counts.toString());
    assertEquals(11, FilterSelector.targets(RESNET, GROUPS, KeepRule.uniformFlops(0.5))
        .get(STAGE_1));
  }

  @Test
  void flopsHalf_sameTableAndScores_sameWidths() {
    LatencyTable table = table(g -> 0.01 * g.channels());

    assertEquals(targets(KeepRule.flops(0.5), table), targets(KeepRule.flops(0.5), table));
  }

  @Test
  void flopsHalf_noGroupCanWidenByOneStepWithinTheBudget() {
    Map<String, Integer> counts = targets(KeepRule.flops(0.5), table(g -> 0.05));

    for (ChannelGroups.Group g : GROUPS) {
      List<Integer> widths = LatencyTable.widths(g.channels());
      int i = widths.indexOf(counts.get(g.name()));
      if (i + 1 < widths.size()) {
        Map<String, Integer> wider = new LinkedHashMap<>(counts);
        wider.put(g.name(), widths.get(i + 1));
        assertTrue(flops(wider) > 0.5 * Flops.perExample(RESNET), g.name() + " could widen");
      }
    }
  }

  @Test
  void filtersHalf_keepsAtMostHalfOfAllChannels() {
    Map<String, Integer> counts = targets(KeepRule.filters(0.5), table(g -> 0.05));

    int total = GROUPS.stream().mapToInt(ChannelGroups.Group::channels).sum();
    assertTrue(counts.values().stream().mapToInt(Integer::intValue).sum() <= total / 2,
        counts.toString());
  }

  @Test
  void flopsBelowEveryGroupAtItsSmallestWidth_throwsWithTheReachableFraction() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> targets(KeepRule.flops(0.01), table(g -> 0.05)));

    assertTrue(e.getMessage().startsWith("KeepRule.flops(0.01): even every channel group at its"
        + " smallest width ([8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8]) keeps 0."), e.getMessage());
  }

  @Test
  void tableWithoutAGroup_throwsNamingIt() {
    Map<String, Map<Integer, Double>> partial = new LinkedHashMap<>(
        table(g -> 0.05).secondsPerExample());
    partial.remove(STAGE_1);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> targets(KeepRule.flops(0.5), LatencyTable.of(1000, partial)));

    assertTrue(e.getMessage().startsWith("the latency table has no entry for channel group "
        + STAGE_1 + ";"), e.getMessage());
  }

  @Test
  void latencyRuleWithoutTable_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FilterSelector.targets(RESNET, GROUPS, KeepRule.flops(0.5)));

    assertEquals("LatencyFlops[fraction=0.5] needs a latency table", e.getMessage());
  }

  @Test
  void uniformFilters_keepsTheCeilingOfTheFractionOfEveryGroup() {
    Map<String, Integer> counts = FilterSelector.targets(RESNET, GROUPS,
        KeepRule.uniformFilters(0.3));

    for (ChannelGroups.Group g : GROUPS) {
      assertEquals((int) Math.ceil(0.3 * g.channels()), counts.get(g.name()), g.name());
    }
  }
}
