package org.fwprune.pruning.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment program end to end on tiny synthetic 28x28 data. */
class StructuredMnistExperimentTest {

  @TempDir
  Path tmp;

  @Test
  void run_tinyData_reportsEveryMethodWithEqualStructuredFlops() throws IOException {
    Dataset train = SyntheticData.bars(256, 28, 10, 1);
    Dataset validation = SyntheticData.bars(100, 28, 10, 2);
    StructuredMnistExperiment.Config c = StructuredMnistExperiment.Config.parse(new String[] {
        "seeds=0", "epochs=0.25", "candidates=4", "timingRepeats=1",
        "checkpoints=" + tmp});
    StructuredMnistExperiment.Report r = StructuredMnistExperiment.run(c, train, validation,
        validation);
    assertEquals(4, r.rows().size());
    assertEquals(r.rows().get(1).flops(), r.rows().get(2).flops(), "FW and L1 at equal FLOPs");
    assertTrue(r.rows().get(1).flops() < r.rows().get(0).flops());
    assertTrue(StructuredMnistExperiment.markdown(r).contains("| FW greedy selection |"));
  }
}
