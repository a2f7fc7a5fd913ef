package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudySummaryTest {

  @TempDir
  Path tmp;

  private Path csv(String... rows) throws IOException {
    Path file = tmp.resolve("study.csv");
    Files.writeString(file, StudyRow.CSV_HEADER + "\n" + String.join("\n", rows) + "\n");
    return file;
  }

  @Test
  void markdown_gapBelowGoalInOneSeed_isMissed() throws IOException {
    // Seed 0: SFW 97.79 vs GMP 97.50, +0.29; seed 1: 97.79 vs 98.50, -0.71 < -0.3.
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,0,0.90,0.9000,0,860,0.9834,0.9779", "gmp,0,0.90,0.9000,0,860,0.9800,0.9750",
        "sfw,1,0.90,0.9000,0,860,0.9834,0.9779", "gmp,1,0.90,0.9000,0,860,0.9800,0.9850")));
    String md = StudySummary.markdown(rows);
    assertTrue(md.contains("| 90% | +0.29 (seed 0) / -0.71 (seed 1) | missed |"), md);
    assertTrue(md.contains("| gmp (one run per target) | 98.00 (97.50 / 98.50) |"), md);
  }

  @Test
  void markdown_gapWithinOnePointAt95_isHeld() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,0,0.95,0.9500,0,860,0.97,0.9700", "gmp,0,0.95,0.9500,0,860,0.98,0.9750")));
    assertTrue(StudySummary.markdown(rows).contains("| 95% | -0.50 (seed 0) | held |"));
  }

  @Test
  void cells_methodTrainedWithTwoBudgets_namesOneVariantPerBudget() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,0,0.90,0.9000,0,860,0.9800,0.9700", "sfw,0,0.90,0.9000,0,2580,0.9900,0.9850")));
    assertEquals(
        List.of("sfw, 860 gradients, no retraining", "sfw, 2,580 gradients, no retraining"),
        StudySummary.cells(rows).stream().map(StudySummary.Cell::variant).toList());
  }

  @Test
  void markdown_twoSfwBudgets_giveOneGapTableEach() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,0,0.90,0.9000,0,860,0.9800,0.9700", "sfw,0,0.90,0.9000,0,2580,0.9900,0.9850",
        "gmp,0,0.90,0.9000,0,860,0.9800,0.9800")));
    String md = StudySummary.markdown(rows);
    assertTrue(md.contains("SFW trained with 860 gradients:\n\n| target | gap per seed | goal |\n"
        + "| --- | --- | --- |\n| 90% | -1.00 (seed 0) | missed |"), md);
    assertTrue(md.contains("SFW trained with 2,580 gradients:\n\n| target | gap per seed | goal |\n"
        + "| --- | --- | --- |\n| 90% | +0.50 (seed 0) | held |"), md);
  }

  // GMP at 860 per target over 2 targets costs 430 + 2 x 430 = 1,290: SFW trained with 1,290 fits,
  // and fine-tuned 10 steps per target (1,310) does not; SFW 860 + 10 per target (880) fits.
  @Test
  void withinGmpBudget_dropsRowsAboveGmpsTotal() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "gmp,0,0.50,0.5000,0,860,0.98,0.98", "gmp,0,0.90,0.9000,0,860,0.98,0.98",
        "sfw,0,0.90,0.9000,0,1290,0.98,0.98", "sfw,0,0.90,0.9000,10,1300,0.98,0.98",
        "sfw,0,0.90,0.9000,10,870,0.98,0.98", "sfw,0,0.90,0.9000,0,1291,0.98,0.98")));
    assertEquals(1290, StudySummary.gmpBudget(rows));
    assertEquals(List.of("gmp", "gmp", "sfw 1290 0", "sfw 870 10"),
        StudySummary.withinGmpBudget(rows).stream().map(r -> r.method() == StudyMethod.GMP ? "gmp"
            : "sfw " + r.gradients() + " " + r.fineTuneSteps()).toList());
  }

  @Test
  void gmpBudget_withoutGmpRows_isRefused() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv("sfw,0,0.90,0.9000,0,860,0.98,0.98")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StudySummary.gmpBudget(rows));
    assertTrue(e.getMessage().contains("GMP rows of one budget, found []"), e.getMessage());
  }

  /** The summary command's printed tables for {@code args}. */
  private static String summarize(String... args) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, new picocli.CommandLine(new SfwStudyCommand()).execute(args));
    } finally {
      System.setOut(old);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  // Screens hold methods outside the default --methods list: without the option, every row is
  // summarised, as the docs' summary commands of those files expect.
  @Test
  void command_summaryWithoutMethods_keepsEveryMethod() throws IOException {
    Path file = csv("sfw-ksupport,0,0.90,0.9000,0,860,0.98,0.9700",
        "gmp,0,0.90,0.9000,0,860,0.98,0.9800");
    String md = summarize("--summary", file.toString());
    assertTrue(md.contains("| sfw-ksupport, no retraining | 97.00 |"), md);
  }

  @Test
  void command_summaryWithMethodsAndTargets_keepsOnlyThoseRows() throws IOException {
    Path file = csv("sfw,0,0.00,0.0000,0,860,0.99,0.9900", "sfw,0,0.80,0.8000,0,860,0.98,0.9750",
        "sfw,0,0.90,0.9000,0,860,0.98,0.9700", "sgd-momentum,0,0.90,0.9000,0,860,0.98,0.9600");
    String md = summarize("--summary", file.toString(), "--methods", "sfw", "--targets", "0.9");
    assertTrue(md.contains("| variant | dense | 90% |"), md);
    assertTrue(md.contains("| sfw, no retraining | 99.00 | 97.00 |"), md);
    assertTrue(!md.contains("sgd-momentum"), md);
  }

  @Test
  void read_malformedRow_namesFileAndLine() throws IOException {
    Path file = csv("sfw,0,0.90,0.9000,0,860,0.98");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StudySummary.read(List.of(file)));
    assertEquals(file + " line 2: expected 8 fields, found 7", e.getMessage());
  }

  @Test
  void cells_groupSeedsPerVariantAndTarget_withMeanAndSampleStd() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,1,0.90,0.9000,0,860,0.9800,0.9700", "sfw,0,0.90,0.9000,0,860,0.9900,0.9800",
        "sfw,0,0.90,0.9000,86,946,0.9500,0.9500")));
    List<StudySummary.Cell> cells = StudySummary.cells(rows);
    assertEquals(2, cells.size(), cells.toString());
    StudySummary.Cell pruned = cells.get(0);
    assertEquals("sfw, no retraining", pruned.variant());
    assertEquals(List.of(0L, 1L), pruned.seeds());
    // Mean 0.975; sample std of {0.98, 0.97} = 0.01 / sqrt(2); tolerance 1e-12.
    assertEquals(0.975, pruned.testAccuracy().mean(), 1e-12);
    assertEquals(0.01 / Math.sqrt(2), pruned.testAccuracy().std(), 1e-12);
    assertEquals("sfw + fine-tune", cells.get(1).variant());
  }

  @Test
  void writeFiles_writesTheChartAndTheCellsAsJson() throws IOException {
    List<StudyRow> rows = StudySummary.read(List.of(csv(
        "sfw,0,0.00,0.0000,0,860,0.9900,0.9850", "sfw,0,0.90,0.9000,0,860,0.9834,0.9779",
        "gmp,0,0.90,0.9000,0,860,0.9800,0.9750")));
    Path dir = tmp.resolve("out");
    List<Path> files = StudySummary.writeFiles(dir, rows);
    assertEquals(List.of(dir.resolve(StudySummary.CHART), dir.resolve(StudySummary.JSON)), files);
    byte[] png = Files.readAllBytes(files.get(0));
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    String json = Files.readString(files.get(1));
    assertTrue(json.contains("\"variant\" : \"gmp (one run per target)\""), json);
    assertTrue(json.contains("\"mean\" : 0.975"), json);
  }
}
