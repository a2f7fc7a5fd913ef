package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterSummaryTest {

  @TempDir
  Path tmp;

  private static final List<FilterRow> ROWS = List.of(
      new FilterRow("sgd-momentum", 1, Double.NaN, Double.NaN, "", 0.5, 0.49, 0.6, 0.9, 0.9,
          "l1-norm", 0),
      new FilterRow("sgd-momentum", 0, Double.NaN, Double.NaN, "", 0.5, 0.47, 0.6, 0.9, 0.8,
          "l1-norm", 0),
      new FilterRow("sgd-momentum", 0, Double.NaN, Double.NaN, "", 1, 1, 1, 0.95, 0.95,
          "l1-norm", 0));

  @Test
  void cells_orderTargetsFromTheDenseNetworkDown_withSeedsAscending() {
    List<FilterSummary.Cell> cells = FilterSummary.cells(ROWS);
    assertEquals(List.of(1.0, 0.5), cells.stream().map(FilterSummary.Cell::flopsTarget).toList());
    FilterSummary.Cell half = cells.get(1);
    assertEquals(List.of(0L, 1L), half.seeds());
    // Means of {0.47, 0.49} and {0.8, 0.9}; tolerance 1e-12.
    assertEquals(0.48, half.flopsKept().mean(), 1e-12);
    assertEquals(0.85, half.testAccuracy().mean(), 1e-12);
  }

  @Test
  void writeFiles_writesTheChartAndTheCellsAsJson() throws IOException {
    List<Path> files = FilterSummary.writeFiles(tmp, ROWS);
    assertEquals(List.of(tmp.resolve(FilterSummary.CHART), tmp.resolve(FilterSummary.JSON)),
        files);
    byte[] png = Files.readAllBytes(files.get(0));
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    String json = Files.readString(files.get(1));
    assertTrue(json.contains("\"flops_target\" : 0.5"), json);
  }

  @Test
  void read_fileWithoutHeader_namesTheFile() throws IOException {
    Path file = tmp.resolve("rows.csv");
    Files.writeString(file, ROWS.get(0).csv() + "\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FilterSummary.read(List.of(file)));
    assertEquals(file + ": expected the header '" + FilterRow.CSV_HEADER + "'", e.getMessage());
  }

  @Test
  void command_summaryWithCharts_printsTablesAndWritesBothFiles() throws IOException {
    Path csv = tmp.resolve("rows.csv");
    Files.writeString(csv, FilterRow.CSV_HEADER + "\n" + ROWS.get(0).csv() + "\n");
    Path dir = tmp.resolve("charts");
    int status = new picocli.CommandLine(new FilterStudy()).execute("--summary", csv.toString(),
        "--charts", dir.toString());
    assertEquals(0, status);
    assertTrue(Files.isRegularFile(dir.resolve(FilterSummary.CHART)));
    assertTrue(Files.isRegularFile(dir.resolve(FilterSummary.JSON)));
  }

  @Test
  void command_chartsWithoutSummary_isAUsageError() {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new FilterStudy());
    cli.setErr(new java.io.PrintWriter(err));
    assertEquals(2, cli.execute("--charts", tmp.toString()));
    assertTrue(err.toString().startsWith(
        "--charts writes the summary's files: give --summary CSV as well"), err.toString());
  }
}
