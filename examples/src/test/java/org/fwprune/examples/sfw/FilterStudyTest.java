package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.ExperimentData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link FilterStudy} on 28x28 synthetic bars, so the paper CNN trains in seconds. */
class FilterStudyTest {

  private static final ExperimentData DATA = new ExperimentData(
      SyntheticData.bars(64, 28, 10, 1), SyntheticData.bars(32, 28, 10, 2),
      SyntheticData.bars(32, 28, 10, 3));

  private static List<FilterRow> run(FilterStudy.Recipe recipe) {
    FilterStudy study = new FilterStudy();
    study.flops = List.of(0.5, 0.25);
    study.epochs = 1;
    study.study.threads = 1;
    List<FilterRow> rows = new ArrayList<>();
    study.run(DATA, 0, recipe, rows::add);
    return rows;
  }

  @Test
  void run_sfwGroup_measuresDenseThenEachFlopsTargetWithinBudget() {
    List<FilterRow> rows = run(new FilterStudy.Recipe(0.25, 15, FilterStudy.DenseKernels.L2));
    assertEquals(List.of(1.0, 0.5, 0.25), rows.stream().map(FilterRow::flopsTarget).toList());
    for (FilterRow r : rows) {
      assertEquals("sfw-group K=0.25 tau=15 dense=l2", r.variant());
      assertTrue(r.flopsKept() <= r.flopsTarget() + 1e-9, r.toString());
    }
  }

  @Test
  void run_sgdMomentum_leavesSfwSettingsEmpty() {
    FilterRow dense = run(null).get(0);
    assertEquals("sgd-momentum", dense.variant());
    assertTrue(dense.csv().startsWith("sgd-momentum,0,,,,1.00,"), dense.csv());
  }

  @Test
  void run_resNet20WithRecalibration_cutsCoupledFiltersWithinBudget() {
    FilterStudy study = new FilterStudy();
    new CommandLine(study).parseArgs("--network", "resnet20", "--bn-recalibration", "2",
        "--flops", "0.5", "--epochs", "1", "--threads", "1");
    List<FilterRow> rows = new ArrayList<>();
    study.run(DATA, 0, new FilterStudy.Recipe(0.5, 15, FilterStudy.DenseKernels.L2), rows::add);
    assertEquals(List.of(1.0, 0.5), rows.stream().map(FilterRow::flopsTarget).toList());
    FilterRow cut = rows.get(1);
    assertTrue(cut.flopsKept() <= 0.5 + 1e-9 && cut.flopsKept() > 0.4, cut.toString());
  }

  @Test
  void command_recalibrationOnThePaperNetwork_isAUsageError() {
    StringWriter err = new StringWriter();
    int status = new CommandLine(new FilterStudy()).setErr(new PrintWriter(err))
        .execute("--network", "paper", "--bn-recalibration", "5");
    assertEquals(2, status);
    assertTrue(err.toString().contains(
        "--bn-recalibration needs a network with BatchNorm; paper has none"), err.toString());
  }

  @Test
  void parse_readsWhatCsvWrote() {
    FilterRow row = new FilterRow("sfw-group", 2, 0.25, 5, "group", 0.5, 0.4812, 0.5, 0.9, 0.875);
    assertEquals(row, FilterRow.parse(row.csv()));
  }

  @Test
  void markdown_listsEachVariantWithSeedsAndMean() {
    List<FilterRow> rows = List.of(
        new FilterRow("sgd-momentum", 0, Double.NaN, Double.NaN, "", 0.5, 0.49, 0.6, 0.9, 0.8),
        new FilterRow("sgd-momentum", 1, Double.NaN, Double.NaN, "", 0.5, 0.49, 0.6, 0.9, 0.9));
    String md = FilterSummary.markdown(rows);
    assertTrue(md.contains("| sgd-momentum | 85.00 (80.00 / 90.00) |"), md);
    assertTrue(md.contains("| sgd-momentum | flops(0.5) | 0.490 | 0.600 |"), md);
  }

  @Test
  void parse_unknownDenseConstraint_namesKnownOnes() {
    assertEquals("unknown --dense constraint 'l1'; known: l2, group",
        assertThrows(IllegalArgumentException.class,
            () -> Labels.parse(FilterStudy.DenseKernels.values(), "--dense constraint", "l1")).getMessage());
  }

  @Test
  void parse_unknownMethod_namesKnownOnes() {
    assertEquals("unknown method 'gmp'; known: sfw-group, sgd-momentum",
        assertThrows(IllegalArgumentException.class,
            () -> Labels.parse(FilterStudy.Method.values(), "method", "gmp")).getMessage());
  }
}
