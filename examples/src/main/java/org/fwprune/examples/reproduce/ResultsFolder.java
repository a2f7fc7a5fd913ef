package org.fwprune.examples.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fwprune.examples.study.Json;

/**
 * The files of one results folder: {@code results.csv} (the rows, appended as cells finish),
 * {@code run.json} (settings, grid, tuning, machine), and the reports rewritten from the rows:
 * {@code results.json}, {@code summary.md} and the PNG charts.
 *
 * @param dir the folder
 */
public record ResultsFolder(Path dir) {

  /** The run description's file name. */
  public static final String RUN_FILE = "run.json";
  /** The full JSON report's file name. */
  public static final String RESULTS_JSON = "results.json";
  /** The markdown summary's file name. */
  public static final String SUMMARY_FILE = "summary.md";

  /** The rows file. */
  public Path csv() {
    return dir.resolve(ResultsCsv.FILE_NAME);
  }

  /** The run description file. */
  public Path runFile() {
    return dir.resolve(RUN_FILE);
  }

  /** The rows written so far. */
  public List<CellResult> rows() throws IOException {
    return ResultsCsv.read(csv());
  }

  /** The run description, if the folder has one. */
  public Optional<RunInfo> runInfo() throws IOException {
    Path file = runFile();
    return Files.exists(file) ? Optional.of(Json.read(file, RunInfo.class)) : Optional.empty();
  }

  /** Replaces the run description atomically. */
  public void writeRunInfo(RunInfo info) throws IOException {
    Files.createDirectories(dir);
    Json.write(runFile(), info);
  }
}
