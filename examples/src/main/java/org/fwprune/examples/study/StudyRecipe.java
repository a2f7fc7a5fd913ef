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
   * Called once before any cell is measured, with the cells this run will measure (its shard's,
   * less those the rows file holds) in grid order and the rows the file holds; returns the cells
   * in the order to measure them. A recipe whose cells share work (one pre-training per seed, a
   * tuning phase before the cells that use its choice) plans that work here and orders the cells
   * so that it is done once; one whose cells use earlier cells' rows finds them in {@code done}.
   * By default the grid order.
   */
  default List<C> plan(List<C> toRun, List<R> done) {
    return toRun;
  }

  /**
   * The unit of work {@code cell} belongs to: {@code --shard K/N} hands out whole units (the
   * {@code i}-th distinct unit of the grid, in order of first appearance, to part {@code i mod N
   * + 1}), so cells that share work, such as one checkpoint per seed, stay on one machine. By
   * default every cell is its own unit.
   */
  default Object unitOf(C cell) {
    return cell;
  }

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
