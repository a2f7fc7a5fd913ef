package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.examples.study.Shard;
import org.fwprune.examples.study.GridRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SfwStudy} on 28x28 synthetic bars, so the paper CNN runs a whole study in seconds. */
class SfwStudyTest {

  /** 64 training images at batch 32: 2 gradients per epoch, a budget of 4 for 2 epochs. */
  private static final ExperimentData DATA = new ExperimentData(
      SyntheticData.bars(64, 28, 10, 1), SyntheticData.bars(32, 28, 10, 2),
      SyntheticData.bars(32, 28, 10, 3));

  private static SfwStudy.Settings settings(List<StudyMethod> methods, List<Long> seeds) {
    return new SfwStudy.Settings(2, 32, List.of(0.5, 0.9), 2, seeds, methods, 1, Network.PAPER);
  }

  private static List<StudyRow> run(SfwStudy.Settings settings, Shard shard) throws IOException {
    return GridRunner.run(new SfwStudy(DATA, settings), shard, Optional.empty(), r -> { });
  }

  private static List<String> csv(List<StudyRow> rows) {
    return rows.stream().map(StudyRow::csv).toList();
  }

  @Test
  void run_withItsRowsFile_resumesWithoutMeasuringTheFinishedCellsAgain(@TempDir Path dir)
      throws IOException {
    SfwStudy.Settings s = settings(List.of(StudyMethod.SGD_MOMENTUM), List.of(0L, 1L));
    Path rows = dir.resolve("study.csv");
    List<StudyRow> first = GridRunner.run(new SfwStudy(DATA, s), new Shard(1, 2),
        Optional.of(rows), r -> { });
    List<StudyRow> measured = new ArrayList<>();

    List<StudyRow> all = GridRunner.run(new SfwStudy(DATA, s), Shard.ALL, Optional.of(rows),
        measured::add);

    // Compared as CSV lines: the file holds the rounded values.
    assertEquals(csv(first), csv(all.subList(0, first.size())));
    assertEquals(Set.of(1L), measured.stream().map(StudyRow::seed).collect(Collectors.toSet()));
    assertEquals(csv(all), csv(GridRunner.merge(StudyRow.FORMAT, List.of(rows))));
  }

  @Test
  void run_everyMethodSpendsTheSameBudgetAndReachesEachTarget() throws IOException {
    List<StudyRow> rows = run(settings(List.of(StudyMethod.values()), List.of(0L)), Shard.ALL);
    // Per SFW variant: dense, then each target pruned and pruned + fine-tuned: 1 + 2 * 2 rows;
    // SGD with momentum: dense and each target; GMP: each target.
    assertEquals(6 * 5 + 3 + 2, rows.size());
    for (StudyRow r : rows) {
      assertEquals(4 + r.fineTuneSteps(), r.gradients(), r.toString());
      if (r.target() > 0) {
        // round(s N) zeros over the paper CNN's 34,720 kernel weights.
        assertEquals(r.target(), r.sparsity(), 1.0 / 34_720, r.toString());
      }
    }
  }

  @Test
  void run_resNet20WithRecalibration_trainsWithSfwAndPrunesToTheTarget() throws IOException {
    SfwStudy.Settings s = new SfwStudy.Settings(2, 32, List.of(0.9), 1, List.of(0L),
        List.of(StudyMethod.SFW, StudyMethod.GMP), 1, Network.RESNET20,
        new SfwStudy.Pruning(0.05, 2));
    List<StudyRow> rows = run(s, Shard.ALL);
    // SFW: dense, pruned, pruned + fine-tuned; GMP: the target.
    assertEquals(4, rows.size());
    long kernels = Network.RESNET20.architecture().weightedLayers().stream()
        .mapToLong(l -> l.kernelSize()).sum();
    for (StudyRow r : rows) {
      assertEquals(4 + r.fineTuneSteps(), r.gradients(), r.toString());
      if (r.target() > 0) {
        assertEquals(0.9, r.sparsity(), 1.0 / kernels, r.toString());
      }
    }
  }

  @Test
  void run_shardsSplitTheCellsWithoutOverlap() throws IOException {
    SfwStudy.Settings s = settings(List.of(StudyMethod.SFW, StudyMethod.SGD_MOMENTUM),
        List.of(0L, 1L));
    List<String> cells = new ArrayList<>();
    for (int k = 1; k <= 2; k++) {
      run(s, new Shard(k, 2)).stream()
          .map(r -> r.method() + "/" + r.seed()).distinct().forEach(cells::add);
    }
    Set<String> unique = cells.stream().collect(Collectors.toSet());
    assertEquals(4, cells.size());
    assertEquals(Set.of("SFW/0", "SFW/1", "SGD_MOMENTUM/0", "SGD_MOMENTUM/1"), unique);
  }

  @Test
  void settings_oddEpochs_throwsWithAllowedRange() {
    assertEquals("epochs must be even and >= 2 (GMP trains dense for half), got 3",
        assertThrows(IllegalArgumentException.class, () -> new SfwStudy.Settings(3, 32,
            List.of(0.5), 2, List.of(0L), List.of(StudyMethod.SFW), 1, Network.PAPER))
            .getMessage());
  }

  @Test
  void settings_recalibrationOnThePaperNetwork_isRefused() {
    assertEquals("BatchNorm recalibration needs a network with BatchNorm; paper has none",
        assertThrows(IllegalArgumentException.class, () -> new SfwStudy.Settings(2, 32,
            List.of(0.5), 2, List.of(0L), List.of(StudyMethod.SFW), 1, Network.PAPER,
            new SfwStudy.Pruning(0.1, 10))).getMessage());
  }

  @Test
  void pruning_learningRateOutOfRange_throwsWithAllowedRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SfwStudy.Pruning(0, 0));
    assertEquals("pruner learning rate must be in (0, 10], got 0.0", e.getMessage());
  }

  @Test
  void parse_unknownMethod_namesKnownOnes() {
    assertEquals("unknown method 'sfw2'; known: sfw, sfw-sparse-biases, sfw-ksupport,"
        + " sfw-k2, sfw-sum, sfw-sum-tenth-lr, sgd-momentum, gmp", assertThrows(IllegalArgumentException.class,
            () -> StudyMethod.parse("sfw2")).getMessage());
  }
}
