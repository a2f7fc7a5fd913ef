package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.model.Architecture;
import org.junit.jupiter.api.Test;

class FlopsTest {

  private static Architecture paper() {
    try (var model = PaperNetwork.builder().build()) {
      return model.architecture();
    }
  }

  @Test
  void perLayer_paperNetwork_matchesHandCount() {
    // conv2d_1: 26*26 positions * 3*3*1*32; conv2d_2: 11*11 * 3*3*32*64; dense_1: 1600*10.
    assertEquals(Map.of("conv2d_1", 194_688L, "conv2d_2", 2_230_272L, "dense_1", 16_000L),
        Flops.perLayer(paper()));
    assertEquals(2_440_960L, Flops.perExample(paper()));
  }

  @Test
  void perExample_shrunkPaperNetwork_scalesWithBothChannelCounts() {
    Architecture small = FilterSurgery.shrink(paper(), Map.of("conv2d_1", 16, "conv2d_2", 32));
    // 26*26*9*16 + 11*11*9*16*32 + 5*5*32*10.
    assertEquals(97_344L + 557_568L + 8_000L, Flops.perExample(small));
  }
}
