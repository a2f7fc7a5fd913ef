package org.fwprune.examples.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads the CSV files the SFW studies write: a fixed header, then one row per line. */
final class CsvRows {

  private CsvRows() {}

  /**
   * The rows of {@code files}, in order, each line after the header parsed by {@code parse}.
   *
   * @throws IllegalArgumentException naming the file of a missing header, or the file and line of
   *     a row {@code parse} rejects
   */
  static <R> List<R> read(List<Path> files, String header, Function<String, R> parse)
      throws IOException {
    List<R> rows = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      checkArgument(!lines.isEmpty() && lines.get(0).equals(header),
          "%s: expected the header '%s'", file, header);
      for (int i = 1; i < lines.size(); i++) {
        try {
          rows.add(parse.apply(lines.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(),
              e);
        }
      }
    }
    return rows;
  }
}
