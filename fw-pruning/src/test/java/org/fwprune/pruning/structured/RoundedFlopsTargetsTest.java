package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Architectures;
import org.fwprune.core.model.Architecture;
import org.junit.jupiter.api.Test;

/** The counts of {@code KeepRule.flops(fraction, channelMultiple)}, on ResNet-20's architecture. */
class RoundedFlopsTargetsTest {

  private static final Architecture RESNET = Architectures.resNet(20, 28, 28, 1, 10);
  private static final List<ChannelGroups.Group> GROUPS = FilterSelector.considered(RESNET, true);

  private static long flops(Map<String, Integer> counts) {
    return Flops.perExample(FilterSurgery.shrink(RESNET, counts));
  }

  @Test
  void flopsHalfMultipleOf8_everyCountIsAMultipleOf8WithinTheBudget() {
    Map<String, Integer> counts = FilterSelector.targets(RESNET, GROUPS, KeepRule.flops(0.5, 8));

    assertEquals(GROUPS.size(), counts.size());
    counts.forEach((group, n) -> assertEquals(0, n % 8, group + " keeps " + n));
    assertTrue(flops(counts) <= 0.5 * Flops.perExample(RESNET), counts.toString());
  }

  @Test
  void flopsHalfMultipleOf8_noGroupCanGrowBy8WithinTheBudget() {
    Map<String, Integer> counts = FilterSelector.targets(RESNET, GROUPS, KeepRule.flops(0.5, 8));

    for (ChannelGroups.Group g : GROUPS) {
      if (counts.get(g.name()) < g.channels()) {
        Map<String, Integer> grown = new LinkedHashMap<>(counts);
        grown.merge(g.name(), 8, Integer::sum);
        assertTrue(flops(grown) > 0.5 * Flops.perExample(RESNET), g.name() + " could grow");
      }
    }
  }

  @Test
  void multipleOf1_isAtLeastAsCloseAsTheUniformRule() {
    long uniform = flops(FilterSelector.targets(RESNET, GROUPS, KeepRule.uniformFlops(0.5)));
    long rounded = flops(FilterSelector.targets(RESNET, GROUPS, KeepRule.flops(0.5, 1)));

    assertTrue(rounded >= uniform && rounded <= 0.5 * Flops.perExample(RESNET),
        uniform + " then " + rounded);
  }

  @Test
  void budgetBelowEveryGroupAtTheMultiple_throwsWithTheSmallestReachableFraction() {
    // Every group at 16 channels keeps well over 1% of ResNet-20's multiply-adds.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FilterSelector.targets(RESNET, GROUPS, KeepRule.flops(0.01, 16)));

    assertTrue(e.getMessage().startsWith("KeepRule.flops(0.01, 16): no counts that are multiples"
        + " of 16 fit the budget; the smallest (every group at 16 channels) keeps 0."),
        e.getMessage());
  }
}
