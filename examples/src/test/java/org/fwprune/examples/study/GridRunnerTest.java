package org.fwprune.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GridRunner} on a recipe without TensorFlow: cell {@code n} measures {@code n} twice. */
class GridRunnerTest {

  /** Rows {@code cell,value}; cell n yields values 10n and 10n + 1. */
  private static class Squares implements StudyRecipe<Integer, int[]> {
    final List<Integer> ran = new ArrayList<>();
    private final int cells;

    Squares(int cells) {
      this.cells = cells;
    }

    @Override
    public List<Integer> cells() {
      return java.util.stream.IntStream.range(0, cells).boxed().toList();
    }

    @Override
    public void run(Integer cell, Consumer<int[]> sink) {
      ran.add(cell);
      sink.accept(new int[] {cell, 10 * cell});
      sink.accept(new int[] {cell, 10 * cell + 1});
    }

    @Override
    public Integer cellOf(int[] row) {
      return row[0];
    }

    @Override
    public RowFormat<int[]> format() {
      return RowFormat.of("cell,value", row -> row[0] + "," + row[1], line -> {
        String[] f = line.split(",");
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
      });
    }
  }

  /** Squares that plans its cells in reverse, or, if {@code drop}, loses one. */
  private static final class Planned extends StudyRecipeDelegate {
    private final boolean drop;
    List<Integer> planned;

    Planned(int cells, boolean drop) {
      super(new Squares(cells));
      this.drop = drop;
    }

    @Override
    public List<Integer> plan(List<Integer> toRun, List<int[]> done) {
      planned = toRun;
      List<Integer> reversed = new ArrayList<>(toRun);
      java.util.Collections.reverse(reversed);
      return drop ? reversed.subList(1, reversed.size()) : reversed;
    }
  }

  /** Forwards everything but {@link #plan} to a {@link Squares}. */
  private abstract static class StudyRecipeDelegate implements StudyRecipe<Integer, int[]> {
    final Squares squares;

    StudyRecipeDelegate(Squares squares) {
      this.squares = squares;
    }

    @Override
    public List<Integer> cells() {
      return squares.cells();
    }

    @Override
    public void run(Integer cell, Consumer<int[]> sink) {
      squares.run(cell, sink);
    }

    @Override
    public Integer cellOf(int[] row) {
      return squares.cellOf(row);
    }

    @Override
    public RowFormat<int[]> format() {
      return squares.format();
    }
  }

  @Test
  void run_plansTheShardsCellsNotInTheFile_andMeasuresThemInThePlansOrder(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("rows.csv");
    GridRunner.write(new Squares(0).format(), file, List.of(new int[] {2, 20}));
    Planned recipe = new Planned(6, false);

    GridRunner.run(recipe, new Shard(1, 2), Optional.of(file), r -> { });

    assertEquals(List.of(0, 4), recipe.planned);
    assertEquals(List.of(4, 0), recipe.squares.ran);
  }

  @Test
  void run_shardsWholeUnits_soCellsOfOneUnitStayInOnePart() throws IOException {
    List<List<Integer>> parts = new ArrayList<>();
    for (int k = 1; k <= 2; k++) {
      Squares pairs = new Squares(6) {
        @Override
        public Object unitOf(Integer cell) {
          return cell / 2;
        }
      };
      GridRunner.run(pairs, new Shard(k, 2), Optional.empty(), r -> { });
      parts.add(pairs.ran);
    }

    assertEquals(List.of(List.of(0, 1, 4, 5), List.of(2, 3)), parts);
  }

  @Test
  void run_whenThePlanLosesACell_isRefusedBeforeMeasuringAny() {
    Planned recipe = new Planned(3, true);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GridRunner.run(recipe, Shard.ALL, Optional.empty(), r -> { }));

    assertTrue(e.getMessage().contains("plan"), e.getMessage());
    assertEquals(List.of(), recipe.squares.ran);
  }

  private static List<String> lines(Squares recipe, List<int[]> rows) {
    return rows.stream().map(recipe.format()::csv).toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7})
  void run_shards_coverEveryCellOnceAndMergeToTheWholeRun(int count, @TempDir Path dir)
      throws IOException {
    Squares whole = new Squares(5);
    List<int[]> expected = GridRunner.run(whole, Shard.ALL, Optional.empty(), r -> { });
    List<Path> files = new ArrayList<>();
    List<Integer> ran = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      Squares part = new Squares(5);
      Path file = dir.resolve("part" + k + ".csv");
      GridRunner.run(part, new Shard(k, count), Optional.of(file), r -> { });
      ran.addAll(part.ran);
      if (Files.exists(file)) {
        files.add(file);
      }
    }

    assertEquals(List.of(0, 1, 2, 3, 4), ran.stream().sorted().toList());
    List<String> merged = lines(whole, GridRunner.merge(whole.format(), files));
    assertEquals(lines(whole, expected).stream().sorted().toList(),
        merged.stream().sorted().toList());
  }

  @Test
  void run_again_measuresOnlyTheCellsTheFileDoesNotHold(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rows.csv");
    GridRunner.run(new Squares(2), Shard.ALL, Optional.of(file), r -> { });
    Squares more = new Squares(4);

    List<int[]> rows = GridRunner.run(more, Shard.ALL, Optional.of(file), r -> { });

    assertEquals(List.of(2, 3), more.ran);
    assertEquals(8, rows.size());
    assertEquals(9, Files.readAllLines(file).size(), "header and eight rows");
  }

  @Test
  void run_fileOfAnotherStudy_throwsNamingTheFileAndHeader(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("other.csv"), "method,seed\nsfw,0\n");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GridRunner.run(new Squares(1), Shard.ALL, Optional.of(file), r -> { }));

    assertTrue(e.getMessage().contains("other.csv") && e.getMessage().contains("cell,value"),
        e.getMessage());
  }

  @Test
  void merge_malformedLine_throwsNamingTheFileAndLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.csv"), "cell,value\n0,0\nx,1\n");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GridRunner.merge(new Squares(1).format(), List.of(file)));

    assertTrue(e.getMessage().contains("bad.csv line 3"), e.getMessage());
  }
}
