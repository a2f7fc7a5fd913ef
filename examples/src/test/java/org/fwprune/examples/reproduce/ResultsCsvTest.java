package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.examples.study.GridRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading results.csv, also files of older versions. */
class ResultsCsvTest {

  @TempDir
  Path dir;

  /** A results file as the tool wrote it before the flops_per_example column. */
  private static final String LEGACY_FILE = String.join(",", ResultsCsv.LEGACY_HEADER) + "\n"
      + "fw,1,0,0.9,0.971200,0.123456,0.100000,0.065432,0.9876,12.500,3.250,430\n"
      + "dense,10,2,0.9,0.990000,0.123456,1.000000,0.065432,1.0000,12.500,0.000,430\n";

  private static CellResult row(Method method, int epochs, int seed, double accuracy) {
    return new CellResult(new Cell(method, epochs, seed, 0.9), accuracy, 0.123456, 0.1,
        0.0654321, 0.9876, 12.5, 3.25, 430, 2_440_960);
  }

  /** Writes {@code rows} as the grid runner does after a cell. */
  private static void write(Path file, List<CellResult> rows) throws IOException {
    GridRunner.write(ResultsCsv.ROWS, file, rows);
  }

  @Test
  void write_thenRead_returnsTheSameRows() throws IOException {
    Path file = dir.resolve("results.csv");
    List<CellResult> rows = List.of(row(Method.FW, 1, 0, 0.9712),
        row(Method.DENSE, 10, 2, 0.99), row(Method.GRADUAL_MAGNITUDE, 2, 1, Double.NaN));
    write(file, rows);

    List<CellResult> read = ResultsCsv.read(file);

    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      // Values are written with fixed decimals, so compare the text a row formats to.
      assertEquals(ResultsCsv.rowLine(rows.get(i)), ResultsCsv.rowLine(read.get(i)));
      assertEquals(rows.get(i).cell(), read.get(i).cell());
    }
    assertTrue(Double.isNaN(read.get(2).testAccuracy()));
  }

  @Test
  void rowsFormat_parseOfItsOwnLine_formatsToTheSameLine() {
    CellResult r = row(Method.FW, 1, 0, 0.9712);
    String line = ResultsCsv.ROWS.csv(r);

    assertEquals(line, ResultsCsv.ROWS.csv(ResultsCsv.ROWS.parse(line)));
  }

  @Test
  void read_dropsATornFinalLine_andTheRunnersRewriteRemovesIt() throws IOException {
    Path file = dir.resolve("results.csv");
    String complete = ResultsCsv.headerLine() + ResultsCsv.rowLine(row(Method.FW, 1, 0, 0.97));
    String torn = ResultsCsv.rowLine(row(Method.FW, 2, 0, 0.98)).substring(0, 17);
    Files.writeString(file, complete + torn, StandardCharsets.UTF_8);

    assertEquals(1, ResultsCsv.read(file).size());
    List<CellResult> rows = new ArrayList<>(
        GridRunner.merge(ResultsCsv.ROWS, List.of(file)));
    rows.add(row(Method.FW, 3, 0, 0.99));
    write(file, rows);

    assertEquals(complete + ResultsCsv.rowLine(row(Method.FW, 3, 0, 0.99)),
        Files.readString(file));
  }

  @Test
  void read_ofAFileWithAnotherHeader_throwsNamingTheExpectedHeader() throws IOException {
    Path file = dir.resolve("results.csv");
    Files.writeString(file, "a,b,c\n1,2,3\n", StandardOpenOption.CREATE);
    IOException e = assertThrows(IOException.class, () -> ResultsCsv.read(file));
    assertTrue(e.getMessage().contains("method,pretrain_epochs"), e.getMessage());
  }

  @Test
  void read_ofAMalformedRow_throwsNamingTheLine() throws IOException {
    Path file = dir.resolve("results.csv");
    Files.writeString(file, ResultsCsv.headerLine() + "fw,1,0,0.9,x,1,1,1,1,1,1,1,1\n");
    IOException e = assertThrows(IOException.class, () -> ResultsCsv.read(file));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void rowLine_ofARowWithoutFlops_endsWithAnEmptyField_andReadsBackWithoutFlops()
      throws IOException {
    CellResult noFlops = row(Method.FW, 1, 0, 0.97).withFlops(Double.NaN);
    assertTrue(ResultsCsv.rowLine(noFlops).endsWith(",430,\n"), ResultsCsv.rowLine(noFlops));
    Path file = dir.resolve("results.csv");
    Files.writeString(file, ResultsCsv.headerLine() + ResultsCsv.rowLine(noFlops));
    assertFalse(ResultsCsv.read(file).get(0).hasFlops());
  }

  @Test
  void read_ofAFileWrittenBeforeTheFlopsColumn_returnsItsRowsWithoutFlops() throws IOException {
    Path file = dir.resolve("results.csv");
    Files.writeString(file, LEGACY_FILE);

    List<CellResult> rows = ResultsCsv.read(file);

    assertEquals(2, rows.size());
    assertEquals(new Cell(Method.FW, 1, 0, 0.9), rows.get(0).cell());
    assertEquals(0.9712, rows.get(0).testAccuracy());
    assertEquals(430, rows.get(1).gradientEvaluations());
    assertTrue(rows.stream().noneMatch(CellResult::hasFlops));
  }

  @Test
  void runnerRewrite_ofAFileWrittenBeforeTheFlopsColumn_putsTheCurrentHeaderFirst()
      throws IOException {
    Path file = dir.resolve("results.csv");
    Files.writeString(file, LEGACY_FILE);

    List<CellResult> rows = new ArrayList<>(
        GridRunner.merge(ResultsCsv.ROWS, List.of(file)));
    rows.add(row(Method.FW, 3, 0, 0.99));
    write(file, rows);

    List<String> lines = Files.readAllLines(file);
    List<String> legacy = LEGACY_FILE.lines().toList();
    assertEquals(List.of(String.join(",", ResultsCsv.HEADER), legacy.get(1) + ",",
        legacy.get(2) + ",", ResultsCsv.rowLine(row(Method.FW, 3, 0, 0.99)).strip()), lines);
    assertEquals(3, ResultsCsv.read(file).size());
  }

  @Test
  void read_ofAMissingFile_isEmpty() throws IOException {
    assertEquals(List.of(), ResultsCsv.read(dir.resolve("none.csv")));
  }
}
