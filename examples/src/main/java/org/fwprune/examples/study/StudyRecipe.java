package org.fwprune.examples.study;

import java.util.List;
import java.util.function.Consumer;

/**
 * One study for the {@link GridRunner}: the grid of cells in a fixed order (the order shards and
 * resumes count on), the measurement of one cell with the library's builders, and the format of
 * its rows. A recipe holds its settings as library objects; it neither parses options nor writes
 * files.
 *
 * @param <C> a cell of the grid: a value type (record), equal for equal settings
 * @param <R> a row the cell measures
 */
public interface StudyRecipe<C, R> {

  /** Every cell of the study, in the order the runner numbers them for {@code --shard}. */
  List<C> cells();

  /**
   * Measures {@code cell}, handing every row to {@code sink} as soon as it is measured.
   *
   * @throws org.fwprune.core.train.DivergenceException if training stops being finite
   */
  void run(C cell, Consumer<R> sink);

  /** The cell that measured {@code row}, for resuming: equal to an element of {@link #cells()}. */
  C cellOf(R row);

  /** How the rows are written and read. */
  RowFormat<R> format();
}
