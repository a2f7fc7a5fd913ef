package org.fwprune.core.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

class BatchPrefetcherTest {

  private static final Dataset DATA = SyntheticData.bars(512, 8, 4, 1);

  @Test
  void next_givesTheSamplersBatchSizesAcrossAnEpochEnd() {
    List<Integer> sizes = new ArrayList<>();
    try (BatchPrefetcher p = new BatchPrefetcher(new BatchSampler(DATA, 100, true, 3), 7)) {
      for (int i = 0; i < 7; i++) {
        sizes.add(p.next().size());
      }
    }
    // 512 examples in batches of 100: five full batches, 12 left, then the next epoch.
    assertEquals(List.of(100, 100, 100, 100, 100, 12, 100), sizes);
  }

  @Test
  void next_alternatesBetweenTwoBatches() {
    try (BatchPrefetcher p = new BatchPrefetcher(new BatchSampler(DATA, 32, true, 3), 3)) {
      InputBatch first = p.next();
      InputBatch second = p.next();
      assertNotSame(first, second);
      assertSame(first, p.next());
    }
  }

  @Test
  void next_afterTheLastBatch_throws() {
    try (BatchPrefetcher p = new BatchPrefetcher(new BatchSampler(DATA, 32, true, 3), 1)) {
      p.next();
      IllegalStateException e = assertThrows(IllegalStateException.class, p::next);
      assertEquals("all 1 batches have been handed out", e.getMessage());
    }
  }
}
