package org.fwprune.examples.study;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.fwprune.core.check.Require;
import org.fwprune.core.io.AtomicFiles;

/**
 * Runs a {@link StudyRecipe}'s grid: the cells of one {@link Shard} (the {@code i}-th unit of
 * work of the grid, {@link StudyRecipe#unitOf}, belongs to part {@code i mod N + 1}), skipping every cell whose rows the rows file already
 * holds, and rewriting that file atomically after each cell, so that a run killed at any moment
 * loses at most the cell it was measuring and the same command resumes it. {@link #merge} joins
 * the files of several shards.
 */
public final class GridRunner {

  private GridRunner() {}

  /**
   * Runs the cells of {@code shard} that {@code rowsFile} does not hold yet.
   *
   * @param rowsFile the CSV file of the rows: read first if it exists (resume), rewritten after
   *     each cell; empty to keep the rows in memory only
   * @param sink receives each new row as soon as it is measured
   * @return the rows of the file before the run, then the new rows
   * @throws IllegalArgumentException if {@code rowsFile} exists but is not a rows file of this
   *     study (the message names the file and line)
   */
  public static <C, R> List<R> run(StudyRecipe<C, R> recipe, Shard shard,
      Optional<Path> rowsFile, Consumer<R> sink) throws IOException {
    Require.notNull("recipe", recipe);
    Require.notNull("shard", shard);
    Require.notNull("sink", sink);
    List<R> rows = new ArrayList<>();
    if (rowsFile.isPresent() && Files.exists(rowsFile.get())) {
      rows.addAll(read(recipe.format(), rowsFile.get()));
    }
    Set<C> done = new HashSet<>();
    rows.forEach(r -> done.add(recipe.cellOf(r)));
    List<C> toRun = new ArrayList<>();
    Map<Object, Integer> units = new HashMap<>();
    for (C cell : recipe.cells()) {
      Object unit = recipe.unitOf(cell);
      units.putIfAbsent(unit, units.size());
      if (shard.contains(units.get(unit)) && !done.contains(cell)) {
        toRun.add(cell);
      }
    }
    List<C> planned = recipe.plan(List.copyOf(toRun), List.copyOf(rows));
    checkArgument(planned.size() == toRun.size() && new HashSet<>(planned).containsAll(toRun),
        "the recipe's plan must order the cells it is given, got %s for %s", planned, toRun);
    for (C cell : planned) {
      recipe.run(cell, row -> {
        rows.add(row);
        sink.accept(row);
      });
      if (rowsFile.isPresent()) {
        write(recipe.format(), rowsFile.get(), rows);
      }
    }
    return rows;
  }

  /**
   * The rows of {@code files} in order: the shards' files of one study joined.
   *
   * @throws IllegalArgumentException naming the file of a missing header, or the file and line
   *     of a row the format refuses
   */
  public static <R> List<R> merge(RowFormat<R> format, List<Path> files) throws IOException {
    List<R> rows = new ArrayList<>();
    for (Path file : files) {
      rows.addAll(read(format, file));
    }
    return rows;
  }

  /** Writes the header and a line per row, in one atomic write. */
  public static <R> void write(RowFormat<R> format, Path file, List<R> rows) throws IOException {
    StringBuilder text = new StringBuilder(format.header()).append('\n');
    rows.forEach(r -> text.append(format.csv(r)).append('\n'));
    AtomicFiles.writeString(file, text.toString());
  }

  private static <R> List<R> read(RowFormat<R> format, Path file) throws IOException {
    String text = Files.readString(file);
    // A last line without its newline is the trace of an interrupted append (rows files of the
    // reproduce study were appended before this runner rewrote them atomically): not a row.
    int end = text.lastIndexOf('\n');
    List<String> lines = text.substring(0, end + 1).lines().filter(l -> !l.isBlank()).toList();
    checkArgument(!lines.isEmpty() && format.reads(lines.get(0)),
        "%s: expected the header '%s'", file, format.header());
    List<R> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      try {
        rows.add(format.parse(lines.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }
}
