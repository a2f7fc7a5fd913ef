package org.fwprune.pruning.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.pruning.scope.PrunedLayers;
import org.junit.jupiter.api.Test;

class MaskOpsTest {

  private static final String CONV = "conv2d_1/kernel";
  private static final String DENSE = "dense_1/kernel";

  @Test
  void applyKeepCounts_keepsTheLargestMagnitudesOfEachKernel() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      Map<String, float[]> before = model.parameters();
      MaskOps.applyKeepCounts(model.prunable(), PrunedLayers.ALL, new long[] {5, 40});
      Map<String, float[]> after = model.parameters();
      assertKeptLargest(before.get(CONV), after.get(CONV), 5);
      assertKeptLargest(before.get(DENSE), after.get(DENSE), 40);
      assertEquals(5, nonZeros(model.masks().get(CONV)));
    }
  }

  private static void assertKeptLargest(float[] before, float[] after, int keep) {
    float[] magnitudes = new float[before.length];
    for (int i = 0; i < before.length; i++) {
      magnitudes[i] = Math.abs(before[i]);
    }
    Arrays.sort(magnitudes);
    float threshold = magnitudes[before.length - keep];
    for (int i = 0; i < before.length; i++) {
      // Random initial weights have no ties, so the kept set is exactly those >= the threshold.
      // A pruned negative weight reads -0.0 (w times 0), which equals 0 as a float.
      assertEquals(Math.abs(before[i]) >= threshold ? before[i] : 0f, after[i] + 0f);
    }
    assertEquals(keep, nonZeros(after));
  }

  private static long nonZeros(float[] values) {
    long n = 0;
    for (float v : values) {
      n += v != 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void applyKeepCounts_countAboveTheKernelSize_namesTheKernelAndRange() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MaskOps.applyKeepCounts(model.prunable(), PrunedLayers.ALL, new long[] {37, 1}));
      assertEquals("keep[0] must be in [1, 36] (the size of conv2d_1), got 37", e.getMessage());
    }
  }

  @Test
  void applyKeepCounts_wrongNumberOfCounts_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 5)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MaskOps.applyKeepCounts(model.prunable(), PrunedLayers.ALL, new long[] {3}));
      assertEquals("keep must hold one count per kernel (2)", e.getMessage());
    }
  }
}
