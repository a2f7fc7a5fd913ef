package org.fwprune.pruning.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;

/** The api-guide's "Writing a pruner" snippet runs and does what it says. */
class WritingAPrunerTest {

  @Test
  void snippet_zeroesTheFirstKernelOnlyAndDoesNotGrowTheGraphWhenRepeated() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      Map<String, float[]> before = model.parameters();
      DocSnippets.writingAPruner(model);
      long ops = ModelGraph.of(model.prunable()).opCount();
      DocSnippets.writingAPruner(model);
      // The extension is built once per key: the second call adds no op.
      assertEquals(ops, ModelGraph.of(model.prunable()).opCount());
      Map<String, float[]> after = model.parameters();
      String first = model.prunable().weightedLayers().get(0).layer().name() + "/kernel";
      for (float w : after.get(first)) {
        assertEquals(0f, w, 0f);
      }
      for (String key : before.keySet()) {
        if (!key.equals(first) && key.endsWith("/kernel")) {
          assertNotEquals(0f, sumOfSquares(after.get(key)), key + " was changed");
          assertEquals(sumOfSquares(before.get(key)), sumOfSquares(after.get(key)), 0f, key);
        }
      }
    }
  }

  private static float sumOfSquares(float[] values) {
    float s = 0;
    for (float v : values) {
      s += v * v;
    }
    return s;
  }
}
