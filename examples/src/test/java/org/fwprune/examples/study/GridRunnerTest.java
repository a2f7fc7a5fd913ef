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
import org.fwprune.examples.reproduce.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GridRunner} on a recipe without TensorFlow: cell {@code n} measures {@code n} twice. */
class GridRunnerTest {

  /** Rows {@code cell,value}; cell n yields values 10n and 10n + 1. */
  private static final class Squares implements StudyRecipe<Integer, int[]> {
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
