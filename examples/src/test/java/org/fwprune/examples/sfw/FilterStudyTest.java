package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.examples.cli.ThreadsOption;
import java.util.stream.Stream;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.pruning.structured.SelectionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@link FilterStudy} on 28x28 synthetic bars, so the paper CNN trains in seconds. */
class FilterStudyTest {

  private static final ExperimentData DATA = new ExperimentData(
      SyntheticData.bars(64, 28, 10, 1), SyntheticData.bars(32, 28, 10, 2),
      SyntheticData.bars(32, 28, 10, 3));

  private static final FilterStudy.Cut L1 = new FilterStudy.Cut(SelectionMethod.L1_NORM, 0);

  private static List<FilterRow> run(FilterStudy.Recipe recipe) {
    FilterStudy study = new FilterStudy();
    study.flops = List.of(0.5, 0.25);
    study.study.epochs = 1;
    study.study.threads = new ThreadsOption(1);
    List<FilterRow> rows = new ArrayList<>();
    study.run(DATA, 0, recipe, List.of(L1), rows::add);
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
    study.run(DATA, 0, new FilterStudy.Recipe(0.5, 15, FilterStudy.DenseKernels.L2),
        List.of(L1), rows::add);
    assertEquals(List.of(1.0, 0.5), rows.stream().map(FilterRow::flopsTarget).toList());
    FilterRow cut = rows.get(1);
    assertTrue(cut.flopsKept() <= 0.5 + 1e-9 && cut.flopsKept() > 0.4, cut.toString());
  }

  @Test
  void run_twoCuts_measuresEachWithItsOwnDenseRowAndLabel() {
    FilterStudy study = new FilterStudy();
    new CommandLine(study).parseArgs("--network", "resnet20", "--selections", "bn-scale",
        "--fine-tune-steps", "0,2", "--flops", "0.5", "--epochs", "1", "--threads", "1");
    List<FilterRow> rows = new ArrayList<>();
    study.run(DATA, 0, null, study.cuts(), rows::add);
    assertEquals(List.of("sgd-momentum cut=bn-scale", "sgd-momentum cut=bn-scale",
        "sgd-momentum cut=bn-scale fine-tune=2", "sgd-momentum cut=bn-scale fine-tune=2"),
        rows.stream().map(FilterRow::variant).toList());
    assertEquals(List.of(1.0, 0.5, 1.0, 0.5), rows.stream().map(FilterRow::flopsTarget).toList());
    // The two dense rows are the same trained network, measured once.
    assertEquals(rows.get(0).testAccuracy(), rows.get(2).testAccuracy(), 0.0);
    assertTrue(rows.get(3).flopsKept() <= 0.5 + 1e-9, rows.get(3).toString());
  }

  /** Options the study refuses before it trains, with the message naming the problem. */
  static Stream<Arguments> refusedOptions() {
    return Stream.of(
        Arguments.of(List.of("--network", "paper", "--bn-recalibration", "5"),
            "--bn-recalibration needs a network with BatchNorm; paper has none"),
        Arguments.of(List.of("--network", "paper", "--selections", "bn-scale"),
            "bn-scale selection needs a network with BatchNorm; paper has none"),
        Arguments.of(List.of("--fine-tune-steps", "-1"),
            "--fine-tune-steps must be in [0, 100000], got -1"),
        Arguments.of(List.of("--selections", "random"),
            "unknown selection 'random'; known: greedy-forward, l1-norm, bn-scale"));
  }

  @ParameterizedTest
  @MethodSource("refusedOptions")
  void command_refusedOption_isAUsageErrorNamingTheProblem(List<String> args, String message) {
    StringWriter err = new StringWriter();
    int status = new CommandLine(new FilterStudy()).setErr(new PrintWriter(err))
        .execute(args.toArray(String[]::new));
    assertEquals(2, status);
    assertTrue(err.toString().contains(message), err.toString());
  }

  @Test
  void parse_readsWhatCsvWrote() {
    FilterRow row = new FilterRow("sfw-group", 2, 0.25, 5, "group", 0.5, 0.4812, 0.5, 0.9, 0.875,
        "bn-scale", 86);
    assertEquals(row, FilterRow.parse(row.csv()));
  }

  @Test
  void markdown_listsEachVariantWithSeedsAndMean() {
    List<FilterRow> rows = List.of(
        new FilterRow("sgd-momentum", 0, Double.NaN, Double.NaN, "", 0.5, 0.49, 0.6, 0.9, 0.8,
            "l1-norm", 0),
        new FilterRow("sgd-momentum", 1, Double.NaN, Double.NaN, "", 0.5, 0.49, 0.6, 0.9, 0.9,
            "l1-norm", 0));
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
