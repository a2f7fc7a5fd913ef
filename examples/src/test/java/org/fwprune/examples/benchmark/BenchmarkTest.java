package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.junit.jupiter.api.Test;

/** The structured line of the benchmark, on tiny synthetic data and a small network. */
class BenchmarkTest {

  @Test
  void structured_reportsSizeFlopsAndTimingOfDenseUnstructuredAndStructuredModels() {
    Dataset train = SyntheticData.bars(128, 8, 4, 1);
    Dataset test = SyntheticData.bars(64, 8, 4, 3);
    try (Cnn dense = SyntheticData.smallCnn(8, 4, 0)) {
      dense.fit(train, Training.builder().batchSize(32).epochs(3).seed(0).build());
      try (Cnn unstructured = dense.copy()) {
        FwPruner.builder().targetSparsity(0.5).steps(8).batchSize(32).build()
            .prune(unstructured, train);

        Map<String, Object> line = Benchmark.structured(train, test, dense, unstructured);

        assertEquals("structured", line.get("kind"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) line.get("models");
        assertEquals(List.of("dense", "unstructured_fw", "structured_fw"),
            models.stream().map(m -> m.get("model")).toList());
        Map<String, Object> d = models.get(0);
        Map<String, Object> u = models.get(1);
        Map<String, Object> s = models.get(2);
        // Hand count: conv 36 positions * 9 * 4 = 1296, dense 36 * 4 = 144.
        assertEquals(1440L, d.get("flops_per_example"));
        assertEquals(1440L, u.get("flops_per_example"), "zeros still multiply");
        assertTrue((Long) s.get("flops_per_example") < 1440L, s.toString());
        assertTrue((Long) s.get("parameters") < (Long) d.get("parameters"), s.toString());
        assertEquals(d.get("parameters"), u.get("parameters"));
        assertTrue((Long) u.get("nonzero_kernel_weights") <= 90, u.toString());
        // The test set holds 64 images, so the large batch is 64.
        assertEquals(1.0, d.get("time_ratio_to_dense_batch_1"));
        assertEquals(1.0, d.get("time_ratio_to_dense_batch_64"));
        for (Map<String, Object> m : models) {
          assertTrue((Double) m.get("ms_per_example_batch_1") > 0, m.toString());
          assertTrue((Double) m.get("time_ratio_to_dense_batch_64") > 0, m.toString());
        }
      }
    }
  }
}
