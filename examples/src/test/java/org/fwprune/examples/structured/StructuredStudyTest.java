package org.fwprune.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StructuredStudy} end to end on a tiny ResNet for 8x8 synthetic bars. */
class StructuredStudyTest {

  private static final ExperimentData DATA = new ExperimentData(
      SyntheticData.bars(64, 8, 4, 1), SyntheticData.bars(32, 8, 4, 2),
      SyntheticData.bars(32, 8, 4, 3));

  /** Identity and projection blocks with BatchNorm, GAP and dense, at 4 and 8 channels. */
  private static final Architecture TINY_RESNET = Cnn.builder().input(8, 8, 1)
      .conv2d(4, 3, 1, Padding.SAME, false).batchNorm().relu()
      .residual(b -> b.conv2d(4, 3, 1, Padding.SAME, false).batchNorm().relu()
          .conv2d(4, 3, 1, Padding.SAME, false).batchNorm())
      .relu()
      .residual(b -> b.conv2d(8, 3, 2, Padding.SAME, false).batchNorm().relu()
              .conv2d(8, 3, 1, Padding.SAME, false).batchNorm(),
          sc -> sc.conv2d(8, 1, 2, Padding.SAME, false).batchNorm())
      .relu().globalAvgPool().dense(4).softmax().architecture();

  @TempDir
  Path dir;

  private static List<String> csv(List<StudyRow> rows) {
    return rows.stream().map(StudyRow::csv).toList();
  }

  private static StructuredStudy.Settings settings(List<Long> seeds, List<StudyMethod> methods) {
    return new StructuredStudy.Settings(TINY_RESNET, seeds, methods,
        List.of(0.5), 1, 0.05, 0.01, 32, 0.9, 2, 8, 1, 16, 3, 2, 1);
  }

  @Test
  void run_everyMethod_writesOneRowPerCellAndResumesWithoutRepeatingAny() throws IOException {
    StructuredStudy.Settings s = settings(List.of(0L), List.of(StudyMethod.values()));
    List<StudyRow> measured = new ArrayList<>();
    List<StudyRow> rows = StructuredStudy.run(DATA, s, Shard.ALL, dir, measured::add);
    // dense, dense trained on, GMP; each structured method at flops(0.5).
    assertEquals(6, rows.size());
    assertEquals(csv(rows), csv(StructuredStudy.readAll(dir)));
    long denseMacs = rows.get(0).macs();
    for (StudyRow r : rows) {
      assertTrue(r.method().selection().isEmpty() || r.macs() <= denseMacs / 2, r.toString());
      assertTrue(r.smallMs() > 0 && r.largeDenseMs() > 0, r.toString());
    }
    assertEquals(1.0, rows.get(0).largeSpeedUp(), 1e-12);
    List<StudyRow> again = new ArrayList<>();
    assertEquals(csv(rows), csv(StructuredStudy.run(DATA, s, Shard.ALL, dir, again::add)));
    assertTrue(again.isEmpty(), again.toString());
    assertTrue(StudySummary.markdown(rows).contains("| greedy, flops(0.5) | 1 |"));
    for (Path chart : StudySummary.writeCharts(dir, rows)) {
      assertTrue(Files.size(chart) > 0, chart.toString());
    }
  }

  @Test
  void run_shards_splitTheSeeds() throws IOException {
    StructuredStudy.Settings s = settings(List.of(0L, 1L, 2L), List.of(StudyMethod.DENSE));
    List<Long> first = StructuredStudy.run(DATA, s, new Shard(1, 2), dir, r -> { }).stream()
        .map(StudyRow::seed).toList();
    List<Long> second = StructuredStudy.run(DATA, s, new Shard(2, 2), dir, r -> { }).stream()
        .map(StudyRow::seed).toList();
    assertEquals(List.of(0L, 2L), first);
    assertEquals(List.of(1L), second);
  }

  @Test
  void parse_truncatedLine_throwsNamingTheLine() {
    assertEquals("expected 15 comma-separated fields (" + StudyRow.CSV_HEADER
        + "), found 2 in '0,dense'", assertThrows(IllegalArgumentException.class,
            () -> StudyRow.parse("0,dense")).getMessage());
  }
}
