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
  void read_malformedRow_namesFileAndLine() throws IOException {
    Path file = csv("sfw,0,0.90,0.9000,0,860,0.98");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StudySummary.read(List.of(file)));
    assertEquals(file + " line 2: expected 8 fields, found 7", e.getMessage());
  }
}
