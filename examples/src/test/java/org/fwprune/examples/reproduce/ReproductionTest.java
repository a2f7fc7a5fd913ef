package org.fwprune.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fwprune.examples.study.Json;
import org.fwprune.examples.study.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of the reproduction on tiny synthetic data. */
class ReproductionTest {

  private static final ProgressListener SILENT = new ProgressListener() {};

  /**
   * Multiply-adds per example of {@link TinyExperiment#models()} (hand count): conv 3x3, 1 -> 4
   * filters, VALID on 8x8, 6x6 outputs (36 * 9 * 4 = 1296), pool to 3x3x4, dense 36 -> 4 (144).
   */
  private static final double TINY_FLOPS = 1296 + 144;

  @TempDir
  Path dir;

  private static Reproduction.Outcome run(ReproduceConfig config, Path out) throws IOException {
    return new Reproduction(config, TinyExperiment.data(), TinyExperiment.models(), SILENT)
        .run(out);
  }

  @Test
  void run_everyMethod_writesEveryFileWithTheExpectedColumnsAndRows() throws IOException {
    ReproduceConfig config = TinyExperiment.config().build();
    List<CellResult> finished = new ArrayList<>();
    List<Tuning.MethodTuning> tuned = new ArrayList<>();
    Path out = dir.resolve("all");
    Reproduction.Outcome outcome = new Reproduction(config, TinyExperiment.data(),
        TinyExperiment.models(), new ProgressListener() {
          @Override
          public void onCellFinished(CellResult result) {
            finished.add(result);
          }

          @Override
          public void onTuned(Tuning.MethodTuning tuning) {
            tuned.add(tuning);
          }
        }).run(out);

    // 2 budgets x 2 seeds x 6 methods.
    assertEquals(24, outcome.cellsRun());
    assertEquals(24, finished.size());
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(String.join(",", ResultsCsv.HEADER), lines.get(0));
    // Issue 8's columns in its order, then the FLOPs column.
    assertEquals("method,pretrain_epochs,seed,target_sparsity,test_accuracy,test_loss,"
        + "nonzero_fraction,inference_ms_per_example,inference_time_ratio,train_seconds,"
        + "prune_seconds,gradient_evaluations,flops_per_example", lines.get(0));
    assertEquals(25, lines.size());
    assertTrue(lines.stream().skip(1).allMatch(l -> l.split(",", -1).length == 13), "13 columns");
    assertEquals(config.cells().stream().collect(Collectors.toSet()),
        outcome.rows().stream().map(CellResult::cell).collect(Collectors.toSet()));

    for (CellResult r : outcome.rows()) {
      Method m = r.cell().method();
      assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1, r.toString());
      assertTrue(r.trainSeconds() > 0, r.toString());
      if (m.isPruning()) {
        // 180 kernel weights at 50% zeros: 90 non-zeros at most (ties may zero a few more).
        assertTrue(r.nonzeroFraction() <= 0.5 + 1e-9, r.toString());
      } else {
        assertTrue(r.nonzeroFraction() > 0.9, r.toString());
      }
      assertEquals(m == Method.DENSE ? 0 : 12, r.gradientEvaluations(), r.toString());
      if (m == Method.DENSE) {
        assertEquals(1.0, r.inferenceTimeRatio());
      } else {
        assertTrue(r.inferenceTimeRatio() > 0 && Double.isFinite(r.inferenceTimeRatio()),
            r.toString());
      }
      assertTrue(r.inferenceMsPerExample() > 0, r.toString());
      // Masking keeps the architecture, so every row has the dense network's FLOPs.
      assertEquals(TINY_FLOPS, r.flopsPerExample(), r.toString());
    }
    // Tuning covers every method with a learning rate, each candidate of the grid once.
    assertEquals(5, tuned.size());
    assertTrue(tuned.stream().allMatch(t -> t.candidates().size() == 2));

    for (String file : List.of("results.json", "run.json", "summary.md", "test_accuracy.png",
        "test_loss.png", "nonzero_percent.png", "inference_time_ratio.png",
        "accuracy_vs_speedup.png")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file);
    }
    byte[] png = Files.readAllBytes(out.resolve("test_accuracy.png"));
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

    JsonNode json = Json.mapper().readTree(out.resolve("results.json").toFile());
    assertEquals(24, json.get("rows").size());
    assertEquals(Set.copyOf(ResultsCsv.HEADER), fieldNames(json.get("rows").get(0)));
    assertEquals(5, json.get("chosen_learning_rates").size());
    assertEquals(2, json.get("tuning").get("methods").get(0).get("candidates").size());
    assertTrue(json.get("tuning").get("methods").get(0).get("candidates").get(0)
        .has("validation_accuracy"));
    JsonNode machine = json.get("machines").get(0);
    for (String field : List.of("os", "arch", "cores", "java", "tensorflow")) {
      assertTrue(machine.hasNonNull(field), field);
    }
    assertEquals(0.5, json.get("configuration").get("target_sparsity").asDouble());
    // 6 methods x 2 budgets, each averaged over 2 seeds.
    assertEquals(12, json.get("summary").size());
    assertEquals(2, json.get("summary").get(0).get("seeds").asInt());

    String summary = Files.readString(out.resolve("summary.md"));
    for (Method m : Method.PAPER) {
      assertTrue(summary.contains("| " + m.id() + " |"), m.id());
    }
    assertTrue(summary.contains(" ± "));
    assertTrue(summary.contains("[accuracy_vs_speedup.png](accuracy_vs_speedup.png)"), summary);
    assertFalse(summary.contains("Structured methods"), "no structured method was asked for");
  }

  @Test
  void resume_skipsFinishedCellsAndKeepsTheirRowsByteForByte() throws IOException {
    Path out = dir.resolve("resume");
    Method[] methods = {Method.DENSE, Method.ONE_SHOT, Method.FW_MOMENTUM};
    Reproduction.Outcome first = run(TinyExperiment.config(methods).budgets(List.of(1)).seeds(1)
        .build(), out);
    assertEquals(3, first.cellsRun());
    List<String> before = Files.readAllLines(out.resolve("results.csv"));
    String tuning = Files.readString(out.resolve("run.json"))
        .replaceAll("(?s).*\"tuning\"", "").replaceAll("(?s)\"machine\".*", "");

    Reproduction.Outcome second = run(TinyExperiment.config(methods).budgets(List.of(1, 2))
        .seeds(1).resume(true).build(), out);

    assertEquals(3, second.cellsSkipped());
    assertEquals(3, second.cellsRun());
    List<String> after = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(before, after.subList(0, before.size()));
    assertEquals(7, after.size());
    Set<Cell> cells = new HashSet<>();
    second.rows().forEach(r -> assertTrue(cells.add(r.cell()), "duplicate " + r.cell()));
    // The learning rates of the first run are reused, not tuned again.
    assertTrue(Files.readString(out.resolve("run.json")).contains(tuning));
  }

  @Test
  void resume_ofACompleteRun_runsNothingAndRewritesTheReports() throws IOException {
    Path out = dir.resolve("complete");
    ReproduceConfig.Builder config = TinyExperiment.config(Method.DENSE, Method.ONE_SHOT)
        .budgets(List.of(1)).seeds(1);
    run(config.build(), out);
    Files.delete(out.resolve("summary.md"));

    Reproduction.Outcome again = run(config.resume(true).build(), out);

    assertEquals(0, again.cellsRun());
    assertEquals(2, again.cellsSkipped());
    assertTrue(Files.exists(out.resolve("summary.md")));
  }

  @Test
  void run_intoAFolderWithResultsWithoutResume_isRefused() throws IOException {
    Path out = dir.resolve("taken");
    ReproduceConfig config = TinyExperiment.config(Method.DENSE).budgets(List.of(1)).seeds(1)
        .build();
    run(config, out);
    IncompatibleResultsException e = assertThrows(IncompatibleResultsException.class,
        () -> run(config, out));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
  }

  @Test
  void resume_withOtherSettings_isRefusedAndNamesTheDifference() throws IOException {
    Path out = dir.resolve("other");
    run(TinyExperiment.config(Method.DENSE).budgets(List.of(1)).seeds(1).build(), out);
    IncompatibleResultsException e = assertThrows(IncompatibleResultsException.class,
        () -> run(TinyExperiment.config(Method.DENSE).budgets(List.of(1)).seeds(1)
            .targetSparsity(0.7).resume(true).build(), out));
    assertTrue(e.getMessage().contains("target sparsity: 0.5 vs 0.7"), e.getMessage());
  }

  @Test
  void shards_splitTheCellsDisjointly_andMergeRecombinesThem() throws IOException {
    Method[] methods = {Method.DENSE, Method.ONE_SHOT, Method.FW};
    List<Cell> grid = TinyExperiment.config(methods).build().cells();
    Path one = dir.resolve("shard1");
    Path two = dir.resolve("shard2");
    Reproduction.Outcome a = run(TinyExperiment.config(methods).shard(new Shard(1, 2)).build(),
        one);
    Reproduction.Outcome b = run(TinyExperiment.config(methods).shard(new Shard(2, 2)).build(),
        two);

    Set<Cell> cellsA = a.rows().stream().map(CellResult::cell).collect(Collectors.toSet());
    Set<Cell> cellsB = b.rows().stream().map(CellResult::cell).collect(Collectors.toSet());
    assertEquals(grid.size() / 2, cellsA.size());
    assertEquals(grid.size() - grid.size() / 2, cellsB.size());
    assertTrue(cellsA.stream().noneMatch(cellsB::contains), "shards overlap");
    for (int i = 0; i < grid.size(); i++) {
      assertTrue((i % 2 == 0 ? cellsA : cellsB).contains(grid.get(i)), "cell " + i);
    }

    Path merged = dir.resolve("merged");
    Merge.Outcome m = Merge.merge(List.of(one, two), merged);

    assertEquals(Set.copyOf(grid), m.rows().stream().map(CellResult::cell)
        .collect(Collectors.toSet()));
    List<String> lines = Files.readAllLines(merged.resolve("results.csv"));
    Set<String> shardLines = new HashSet<>(Files.readAllLines(one.resolve("results.csv")));
    shardLines.addAll(Files.readAllLines(two.resolve("results.csv")));
    assertEquals(shardLines, new HashSet<>(lines), "merged rows are the shards' rows verbatim");
    assertEquals(grid.size() + 1, lines.size());
    for (String file : List.of("results.json", "summary.md", "run.json", "test_accuracy.png")) {
      assertTrue(Files.exists(merged.resolve(file)), file);
    }
    JsonNode json = Json.mapper().readTree(merged.resolve("results.json").toFile());
    assertEquals(2, json.get("runs").size());

    assertThrows(IncompatibleResultsException.class, () -> Merge.merge(List.of(one), merged));
  }

  @Test
  void merge_ofFoldersWithDifferentSettings_isRefused() throws IOException {
    Path one = dir.resolve("s1");
    Path two = dir.resolve("s2");
    run(TinyExperiment.config(Method.DENSE).budgets(List.of(1)).seeds(1).build(), one);
    run(TinyExperiment.config(Method.DENSE).budgets(List.of(1)).seeds(1).fineTuneSteps(13)
        .build(), two);
    IncompatibleResultsException e = assertThrows(IncompatibleResultsException.class,
        () -> Merge.merge(List.of(one, two), dir.resolve("m")));
    assertTrue(e.getMessage().contains("fine-tune steps: 12 vs 13"), e.getMessage());
  }

  @Test
  void run_structuredMethods_buildSmallerNetworksAtEqualFlopsWithTheSameBudget()
      throws IOException {
    Path out = dir.resolve("structured");
    List<Tuning.MethodTuning> tuned = new ArrayList<>();
    ReproduceConfig config = TinyExperiment.config(Method.DENSE, Method.STRUCTURED_FW,
        Method.STRUCTURED_L1).budgets(List.of(1)).build();
    Reproduction.Outcome outcome = new Reproduction(config, TinyExperiment.data(),
        TinyExperiment.models(), new ProgressListener() {
          @Override
          public void onTuned(Tuning.MethodTuning tuning) {
            tuned.add(tuning);
          }
        }).run(out);

    // 1 budget x 2 seeds x 3 methods.
    assertEquals(6, outcome.cellsRun());
    Map<Cell, CellResult> rows = outcome.rows().stream()
        .collect(Collectors.toMap(CellResult::cell, r -> r));
    assertEquals(Set.copyOf(config.cells()), rows.keySet());
    for (int seed = 0; seed < 2; seed++) {
      CellResult fw = rows.get(new Cell(Method.STRUCTURED_FW, 1, seed, 0.5));
      CellResult l1 = rows.get(new Cell(Method.STRUCTURED_L1, 1, seed, 0.5));
      for (CellResult r : List.of(fw, l1)) {
        assertEquals(12, r.gradientEvaluations(), "the same fine-tune budget: " + r);
        assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1, r.toString());
        // At most 2 of the 4 filters (the default cap of half): at most 720 of 1440
        // multiply-adds, 90 of 180 kernel weights.
        assertTrue(r.flopsPerExample() > 0 && r.flopsPerExample() <= TINY_FLOPS / 2,
            r.toString());
        assertTrue(r.nonzeroFraction() > 0 && r.nonzeroFraction() <= 0.5 + 1e-9, r.toString());
        assertTrue(r.inferenceTimeRatio() > 0 && Double.isFinite(r.inferenceTimeRatio()),
            r.toString());
        assertTrue(r.pruneSeconds() > 0, r.toString());
      }
      assertEquals(fw.flopsPerExample(), l1.flopsPerExample(),
          "structured-l1 keeps the filter counts of structured-fw");
      assertEquals(TINY_FLOPS,
          rows.get(new Cell(Method.DENSE, 1, seed, 0.5)).flopsPerExample());
    }
    // Both structured methods get the learning-rate search of every other method.
    assertEquals(List.of(Method.STRUCTURED_FW, Method.STRUCTURED_L1),
        tuned.stream().map(Tuning.MethodTuning::method).toList());
    assertTrue(tuned.stream().allMatch(t -> t.candidates().size() == 2));

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(7, lines.size());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("structured-l1,1,1,")));
    byte[] png = Files.readAllBytes(out.resolve("accuracy_vs_speedup.png"));
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("| structured-fw | 1 | 2 |"), summary);
    assertTrue(summary.contains("Structured methods"), summary);
    JsonNode json = Json.mapper().readTree(out.resolve("results.json").toFile());
    for (JsonNode row : json.get("rows")) {
      assertTrue(row.get("flops_per_example").isIntegralNumber(), row.toString());
    }
  }

  @Test
  void structuredL1_withoutStructuredFwInTheRun_selectsTheSameCountsItself() throws IOException {
    Reproduction.Outcome both = run(TinyExperiment.config(Method.STRUCTURED_FW,
        Method.STRUCTURED_L1).budgets(List.of(1)).seeds(1).build(), dir.resolve("both"));
    Reproduction.Outcome alone = run(TinyExperiment.config(Method.STRUCTURED_L1)
        .budgets(List.of(1)).seeds(1).build(), dir.resolve("alone"));

    CellResult fw = both.rows().stream()
        .filter(r -> r.cell().method() == Method.STRUCTURED_FW).findFirst().orElseThrow();
    assertEquals(1, alone.rows().size());
    assertEquals(fw.flopsPerExample(), alone.rows().get(0).flopsPerExample());
  }

  @Test
  void resume_ofAFolderWrittenBeforeTheFlopsColumn_upgradesItAndKeepsItsRows()
      throws IOException {
    Path out = dir.resolve("legacy");
    Method[] methods = {Method.DENSE, Method.ONE_SHOT};
    run(TinyExperiment.config(methods).budgets(List.of(1)).seeds(1).build(), out);
    List<String> legacy = toLegacy(out.resolve("results.csv"));

    Reproduction.Outcome again = run(TinyExperiment.config(methods).budgets(List.of(1, 2))
        .seeds(1).resume(true).build(), out);

    assertEquals(2, again.cellsSkipped());
    assertEquals(2, again.cellsRun());
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(String.join(",", ResultsCsv.HEADER), lines.get(0));
    assertEquals(5, lines.size());
    // The old rows are kept as they were, with an empty FLOPs field; new rows have FLOPs.
    assertEquals(legacy.get(1) + ",", lines.get(1));
    assertEquals(legacy.get(2) + ",", lines.get(2));
    assertTrue(lines.get(3).endsWith(",1440") && lines.get(4).endsWith(",1440"), lines.toString());
    JsonNode json = Json.mapper().readTree(out.resolve("results.json").toFile());
    assertTrue(json.get("rows").get(0).get("flops_per_example").isNull());
  }

  @Test
  void merge_ofAFolderWrittenBeforeTheFlopsColumnWithANewOne_keepsEveryRow()
      throws IOException {
    Method[] methods = {Method.DENSE, Method.ONE_SHOT};
    Path one = dir.resolve("old");
    Path two = dir.resolve("new");
    run(TinyExperiment.config(methods).shard(new Shard(1, 2)).build(), one);
    run(TinyExperiment.config(methods).shard(new Shard(2, 2)).build(), two);
    Set<String> oldRows = new HashSet<>(toLegacy(one.resolve("results.csv")).subList(1, 5));

    Merge.Outcome m = Merge.merge(List.of(one, two), dir.resolve("merged"));

    assertEquals(8, m.rows().size());
    List<String> lines = Files.readAllLines(dir.resolve("merged").resolve("results.csv"));
    assertEquals(String.join(",", ResultsCsv.HEADER), lines.get(0));
    assertEquals(4, lines.stream().filter(l -> oldRows.contains(l.substring(0, l.length() - 1))
        && l.endsWith(",")).count(), lines.toString());
    assertEquals(4, lines.stream().filter(l -> l.endsWith(",1440")).count(), lines.toString());
  }

  /**
   * Rewrites a results file as the tool wrote it before the FLOPs column: without its last
   * column. Returns the new lines.
   */
  private static List<String> toLegacy(Path csv) throws IOException {
    List<String> legacy = Files.readAllLines(csv).stream()
        .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    assertEquals(String.join(",", ResultsCsv.LEGACY_HEADER), legacy.get(0));
    Files.write(csv, legacy);
    return legacy;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
