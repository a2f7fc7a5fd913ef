package org.fwprune.examples.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.examples.reproduce.Cell;
import org.fwprune.examples.reproduce.CellResult;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.Tuning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {

  private static final Method BASE = Method.GRADUAL_MAGNITUDE;
  private static final Method FW = Method.FW_MOMENTUM;

  /** A run at {@code sparsity} where the baseline scores 0.95 and FW {@code 0.95 + gain[seed]}. */
  private static StudyRun run(double sparsity, double baseAccuracy, double... gains) {
    List<CellResult> rows = new ArrayList<>();
    for (int checkpoint : new int[] {1, 2}) {
      for (int seed = 0; seed < gains.length; seed++) {
        rows.add(row(BASE, checkpoint, seed, sparsity, baseAccuracy));
        rows.add(row(FW, checkpoint, seed, sparsity, baseAccuracy + gains[seed]));
      }
    }
    Tuning tuning = new Tuning(2, 0, List.of(
        Tuning.MethodTuning.choose(BASE, List.of(new Tuning.Candidate(0.1, 0.97, 0.1))),
        Tuning.MethodTuning.choose(FW, List.of(new Tuning.Candidate(0.1, 0.96, 0.1)))));
    return new StudyRun(Path.of("s" + sparsity), sparsity, 430, 0.6, rows, tuning);
  }

  private static CellResult row(Method m, int checkpoint, int seed, double sparsity,
      double accuracy) {
    return new CellResult(new Cell(m, checkpoint, seed, sparsity), accuracy, 0.1, 1 - sparsity,
        0.03, 1, 1, 1, 430, Double.NaN);
  }

  @Test
  void differences_arePairedBySeedInPoints() {
    List<PairedComparison.Line> lines = PairedComparison.of(
        List.of(run(0.9, 0.95, 0.004, 0.001, -0.002)), BASE);
    PairedComparison.Line fw = lines.stream()
        .filter(l -> l.method() == FW && l.checkpoint() == 1).findFirst().orElseThrow();
    // 0.95 + 0.004 in [0, 1] is 0.4 points; doubles carry about 1e-14 of error here.
    assertArrayEquals(new double[] {0.4, 0.1, -0.2}, fw.differences(), 1e-9);
    assertEquals(-0.2, fw.minDifference(), 1e-9);
    assertEquals(95.1, fw.accuracy().mean(), 1e-9);
  }

  @Test
  void verdict_marginClearedInEverySeed_isReported() {
    String md = ComparisonReport.of(List.of(run(0.9, 0.95, 0.004, 0.005, 0.0031)), BASE)
        .markdown();
    assertTrue(md.contains("- fw-momentum at 90% (budget 430 gradients, pruning over 60% of it) beats"
        + " gradual-magnitude by at least 0.3 points in every seed and checkpoint (smallest paired difference +0.31)."), md);
  }

  @Test
  void verdict_oneSeedBelowTheMargin_isNotABeat() {
    String md = ComparisonReport.of(List.of(run(0.9, 0.95, 0.004, 0.005, 0.001)), BASE)
        .markdown();
    assertFalse(md.contains("beats gradual-magnitude by at least"), md);
    assertTrue(md.contains("No method beats gradual-magnitude by 0.3 points"), md);
  }

  @Test
  void verdict_equalAccuracyWithTwiceFewerNonZeros_isReported() {
    // FW at 95% scores what the baseline scores at 90%: half the non-zeros.
    StudyRun low = run(0.9, 0.97, 0, 0, 0);
    StudyRun high = run(0.95, 0.96, 0.01, 0.01, 0.01);
    String md = ComparisonReport.of(List.of(low, high), BASE).markdown();
    assertTrue(md.contains("- fw-momentum at 95% (budget 430 gradients, pruning over 60% of it,"
        + " 1-epoch checkpoint) is at least as accurate as gradual-magnitude at 90% in every seed."), md);
  }

  @Test
  void runsWithOtherPruningFractions_getTablesOfTheirOwn() {
    StudyRun reference = run(0.9, 0.95, 0, 0, 0);
    StudyRun longer = new StudyRun(Path.of("p80"), 0.9, 430, 0.8, reference.rows(),
        reference.tuning());
    String md = ComparisonReport.of(List.of(reference, longer), BASE).markdown();
    assertTrue(md.contains("### budget 430 gradients, pruning over 60% of it; 1-epoch checkpoint"),
        md);
    assertTrue(md.contains("### budget 430 gradients, pruning over 80% of it; 1-epoch checkpoint"),
        md);
  }

  @Test
  void charts_oneFilePerBudgetAndCheckpoint(@TempDir Path dir) throws Exception {
    List<Path> files = ComparisonReport.of(List.of(run(0.9, 0.95, 0, 0, 0),
        run(0.95, 0.94, 0, 0, 0)), BASE).charts(dir);
    assertEquals(2, files.size());
    for (Path f : files) {
      assertTrue(Files.size(f) > 1000, f + " is too small for a PNG chart");
    }
  }
}
