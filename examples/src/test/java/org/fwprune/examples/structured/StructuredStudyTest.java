package org.fwprune.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.study.Shard;
import org.fwprune.pruning.structured.KeepRule;
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

  /** The paper network's shape, scaled down: conv, pool, conv, pool, flatten, dense. */
  private static final Architecture TINY_CHAIN = Cnn.builder().input(8, 8, 1)
      .conv2d(4, 3, 1, Padding.SAME).relu().maxPool(2).conv2d(8, 3, 1, Padding.SAME).relu()
      .maxPool(2).flatten().dense(4)
      .softmax().architecture();

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
  void run_accuracyRule_l1KeepsTheGreedyCountsAndRowsGiveValidationBeforeFineTune()
      throws IOException {
    StructuredStudy.Settings s = new StructuredStudy.Settings(TINY_CHAIN, List.of(0L),
        List.of(StudyMethod.DENSE, StudyMethod.GREEDY, StudyMethod.L1, StudyMethod.GMP),
        List.of(0.5), 1, 0.05, 0.01, 32, 0.9, 2, 8, 1, 16, 3, 2, 1, List.of(1),
        (KeepRule.Accuracy) KeepRule.accuracy(0.98, 0.5), 0, Map.of(StudyMethod.GMP, 0.1));

    List<StudyRow> rows = StructuredStudy.run(DATA, s, Shard.ALL, dir, r -> { });

    assertEquals(List.of("-", "accuracy(0.98 0.5)", "accuracy(0.98 0.5)", "-"),
        rows.stream().map(StudyRow::keep).toList());
    StudyRow greedy = rows.get(1);
    StudyRow l1 = rows.get(2);
    assertEquals(greedy.kept(), l1.kept(), "L1 keeps the greedy counts");
    assertEquals(greedy.macs(), l1.macs(), "at equal FLOPs");
    assertTrue(greedy.macs() < rows.get(0).macs(), greedy.toString());
    assertTrue(greedy.validationBeforeFineTune() >= 0 && l1.validationBeforeFineTune() >= 0,
        l1.toString());
    assertTrue(Double.isNaN(rows.get(3).validationBeforeFineTune()));
    assertTrue(StudySummary.markdown(rows).contains("| l1, accuracy(0.98 0.5) | 1 |"));
  }

  @Test
  void run_accuracyRuleWithL1BeforeGreedy_throwsAskingForGreedyFirst() {
    StructuredStudy.Settings s = new StructuredStudy.Settings(TINY_CHAIN, List.of(0L),
        List.of(StudyMethod.L1), List.of(0.5), 1, 0.05, 0.01, 32, 0.9, 2, 8, 1, 16, 3, 2, 1,
        List.of(1), (KeepRule.Accuracy) KeepRule.accuracy(0.98, 0.5), 0, Map.of());

    assertTrue(assertThrows(IllegalStateException.class,
        () -> StructuredStudy.run(DATA, s, Shard.ALL, dir, r -> { })).getMessage()
        .contains("list greedy before them"));
  }

  @Test
  void run_channelMultiple_addsRowsWhoseCountsAreMultiples() throws IOException {
    StructuredStudy.Settings s = new StructuredStudy.Settings(TINY_RESNET, List.of(0L),
        List.of(StudyMethod.L1), List.of(0.5), 1, 0.05, 0.01, 32, 0.9, 2, 8, 1, 16, 3, 2, 1,
        List.of(1, 2), null, 0.9, Map.of());

    List<StudyRow> rows = StructuredStudy.run(DATA, s, Shard.ALL, dir, r -> { });

    assertEquals(List.of("flops(0.5)", "flops(0.5 x2)"),
        rows.stream().map(StudyRow::keep).toList());
    for (String n : rows.get(1).kept().split(";")) {
      assertEquals(0, Integer.parseInt(n) % 2, rows.get(1).kept());
    }
  }

  @Test
  void parse_lineOfTheOldFifteenFields_readsAsAFlopsRule() {
    StudyRow r = StudyRow.parse("0,l1,0.5000,0.9912,0.9903,129161,14687112,1,3.287199,3.615391,"
        + "1000,0.868664,0.913570,11;11;11;11;22;22;22;22;44;44;44;44,204.3");

    assertEquals("flops(0.5)", r.keep());
    assertTrue(Double.isNaN(r.validationBeforeFineTune()));
  }

  @Test
  void settings_methodLearningRate_replacesTheCommonOneForThatMethodOnly() {
    StructuredStudy.Settings s = new StructuredStudy.Settings(TINY_CHAIN, List.of(0L),
        List.of(StudyMethod.L1), List.of(0.5), 1, 0.05, 0.01, 32, 0.9, 2, 8, 1, 16, 3, 2, 1,
        List.of(1), null, 0.9, Map.of(StudyMethod.GMP, 0.1));

    assertEquals(0.1, s.fineTuneLearningRate(StudyMethod.GMP));
    assertEquals(0.01, s.fineTuneLearningRate(StudyMethod.L1));
  }

  @Test
  void parse_truncatedLine_throwsNamingTheLine() {
    assertEquals("expected 17 comma-separated fields (" + StudyRow.CSV_HEADER
        + "), found 2 in '0,dense'", assertThrows(IllegalArgumentException.class,
            () -> StudyRow.parse("0,dense")).getMessage());
  }
}
