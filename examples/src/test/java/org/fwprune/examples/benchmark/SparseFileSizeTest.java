package org.fwprune.examples.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fwprune.examples.reproduce.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-size benchmark on the paper CNN. */
class SparseFileSizeTest {

  @Test
  void run_sparseModelZipsToAQuarterOfTheDenseOneInEveryForm(@TempDir Path dir)
      throws IOException {
    List<SparseFileSize.Row> rows = SparseFileSize.run(Network.PAPER, dir);

    assertEquals(6, rows.size());
    for (int i = 0; i < 3; i++) {
      SparseFileSize.Row dense = rows.get(i);
      SparseFileSize.Row sparse = rows.get(i + 3);
      assertEquals(dense.form(), sparse.form());
      // 90% zeros: the rest is float32 noise that deflate barely shrinks, so about a tenth
      // plus the zeros' encoding; a quarter leaves room for file overheads.
      assertTrue(sparse.zippedBytes() < dense.zippedBytes() / 4, sparse + " vs " + dense);
    }
  }
}
