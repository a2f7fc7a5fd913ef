package org.fwprune.examples.study;

/**
 * How a study's rows are written to and read from its CSV file: a fixed header, one line per row.
 *
 * @param <R> the row
 */
public interface RowFormat<R> {

  /** The first line of every file. */
  String header();

  /** The line of {@code row}, without the newline. */
  String csv(R row);

  /**
   * The row of a line {@link #csv} wrote.
   *
   * @throws IllegalArgumentException if the line is not one, naming what is wrong
   */
  R parse(String line);
}
