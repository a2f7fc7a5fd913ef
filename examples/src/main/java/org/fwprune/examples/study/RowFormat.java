package org.fwprune.examples.study;

import java.util.function.Function;
import org.fwprune.core.check.Require;

/**
 * How a study's rows are written to and read from its CSV file: a fixed header, one line per row.
 *
 * @param <R> the row
 */
public interface RowFormat<R> {

  /** The first line of every file. */
  String header();

  /**
   * Whether a file whose first line is {@code header} holds rows of this format: by default only
   * {@link #header()}; a format that still reads files of an older header accepts that too, and
   * {@link GridRunner} rewrites such a file with the current header when it adds a row.
   */
  default boolean reads(String header) {
    return header().equals(header);
  }

  /** The line of {@code row}, without the newline. */
  String csv(R row);

  /**
   * The row of a line {@link #csv} wrote.
   *
   * @throws IllegalArgumentException if the line is not one, naming what is wrong; a format
   *     that {@link #reads} an older header parses the lines of both
   */
  R parse(String line);

  /**
   * The format of rows that write and read themselves: {@code header}, then {@code csv} and
   * {@code parse} for each line.
   */
  static <R> RowFormat<R> of(String header, Function<R, String> csv, Function<String, R> parse) {
    Require.notNull("header", header);
    Require.notNull("csv", csv);
    Require.notNull("parse", parse);
    return new RowFormat<>() {
      @Override
      public String header() {
        return header;
      }

      @Override
      public String csv(R row) {
        return csv.apply(row);
      }

      @Override
      public R parse(String line) {
        return parse.apply(line);
      }
    };
  }
}
