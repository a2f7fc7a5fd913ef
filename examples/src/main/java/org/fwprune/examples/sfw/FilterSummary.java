package org.fwprune.examples.sfw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.reproduce.Aggregate;
import org.fwprune.examples.study.Charts;
import org.fwprune.examples.study.Json;
import org.fwprune.examples.study.Stat;

/**
 * Reads the CSV files of {@link FilterStudy} and gives its results: the markdown tables of
 * docs/sfw.md, a chart of test accuracy against the FLOPs kept, and the same statistics as JSON.
 */
public final class FilterSummary {

  /** File name of the test accuracy against FLOPs kept chart. */
  public static final String CHART = "filters_accuracy_vs_flops.png";

  /** File name of the per-variant statistics. */
  public static final String JSON = "filters_summary.json";

  /**
   * A variant at a FLOPs target, over the seeds measured.
   *
   * @param variant the training recipe, e.g. {@code sfw-group K=0.25 tau=15 dense=l2}
   * @param flopsTarget the {@code KeepRule.uniformFlops} fraction, 1 for the dense network
   * @param seeds the seeds measured, ascending
   * @param flopsKept measured FLOPs kept, mean and sample std over the seeds
   * @param testAccuracy test accuracy, mean and sample std over the seeds
   * @param validationAccuracy validation accuracy, mean and sample std over the seeds
   */
  public record Cell(String variant, double flopsTarget, List<Long> seeds,
      Stat flopsKept, Stat testAccuracy, Stat validationAccuracy) {}

  private FilterSummary() {}

  /**
   * The rows of study CSV files, in order.
   *
   * @throws IllegalArgumentException naming the file and line of a missing header or a malformed
   *     row
   */
  public static List<FilterRow> read(List<Path> files) throws IOException {
    return GridRunner.merge(FilterRow.FORMAT, files);
  }

  /** Every (variant, FLOPs target) cell, variants by name, targets from the dense network down. */
  public static List<Cell> cells(List<FilterRow> rows) {
    List<Cell> cells = new ArrayList<>();
    byVariant(rows).forEach((variant, byTarget) -> byTarget.forEach((target, bySeed) -> {
      List<FilterRow> group = new ArrayList<>(bySeed.values());
      cells.add(new Cell(variant, target, new ArrayList<>(bySeed.keySet()),
          stat(group, FilterRow::flopsKept), stat(group, FilterRow::testAccuracy),
          stat(group, FilterRow::validationAccuracy)));
    }));
    return cells;
  }

  /**
   * Writes {@link #CHART} (test accuracy against FLOPs kept, one line per variant, error bars of
   * one std over seeds) and {@link #JSON} (the {@link #cells}) into {@code dir}, each atomically;
   * returns the files.
   */
  public static List<Path> writeFiles(Path dir, List<FilterRow> rows) throws IOException {
    List<Cell> cells = cells(rows);
    List<String> names = cells.stream().map(Cell::variant).distinct().toList();
    List<Charts.LinePoint> points = cells.stream().map(c -> new Charts.LinePoint(c.variant(),
        names.indexOf(c.variant()), 100 * c.flopsKept().mean(), new Stat(
            100 * c.testAccuracy().mean(), 100 * c.testAccuracy().std()))).toList();
    Files.createDirectories(dir);
    Path chart = dir.resolve(CHART);
    long seeds = rows.stream().mapToLong(FilterRow::seed).distinct().count();
    Charts.writeAccuracyLines(chart, points,
        "Test accuracy against FLOPs kept (cut by L1 norm, no fine-tune, unless named)",
        "Multiply-adds kept, % of the dense network's",
        "mean ± std over " + seeds + " seed" + (seeds == 1 ? "" : "s"));
    Path json = dir.resolve(JSON);
    Json.write(json, cells);
    return List.of(chart, json);
  }

  private static Stat stat(List<FilterRow> group,
      ToDoubleFunction<FilterRow> metric) {
    return Stat.of(group.stream().mapToDouble(metric).toArray());
  }

  /** Rows by variant (sorted by name), FLOPs target (descending) and seed (ascending). */
  private static Map<String, Map<Double, Map<Long, FilterRow>>> byVariant(List<FilterRow> rows) {
    Map<String, Map<Double, Map<Long, FilterRow>>> byVariant = new TreeMap<>();
    for (FilterRow r : rows) {
      byVariant.computeIfAbsent(r.variant(), v -> new TreeMap<>(Comparator.reverseOrder()))
          .computeIfAbsent(r.flopsTarget(), t -> new TreeMap<>()).put(r.seed(), r);
    }
    return byVariant;
  }

  /**
   * Markdown tables: test and validation accuracy per variant and FLOPs target (mean over seeds,
   * each seed in parentheses), and the measured FLOPs and parameters kept.
   */
  public static String markdown(List<FilterRow> rows) {
    Map<String, Map<Double, Map<Long, FilterRow>>> byVariant = byVariant(rows);
    List<Double> targets = rows.stream().map(FilterRow::flopsTarget).distinct()
        .sorted(Comparator.reverseOrder()).toList();
    StringBuilder s = new StringBuilder();
    for (boolean test : new boolean[] {true, false}) {
      s.append(test ? "Test" : "Validation")
          .append(" accuracy %, mean over seeds (each seed in parentheses):\n\n| variant |");
      targets.forEach(t -> s.append(t == 1 ? " dense |" : String.format(Locale.ROOT,
          " flops(%s) |", t)));
      s.append("\n| --- |");
      targets.forEach(t -> s.append(" --- |"));
      s.append('\n');
      for (Map.Entry<String, Map<Double, Map<Long, FilterRow>>> v : byVariant.entrySet()) {
        s.append("| ").append(v.getKey()).append(" |");
        for (double t : targets) {
          Map<Long, FilterRow> cell = v.getValue().get(t);
          s.append(' ').append(cell == null ? "" : meanAndSeeds(cell, test)).append(" |");
        }
        s.append('\n');
      }
      s.append('\n');
    }
    s.append("FLOPs and parameters kept (measured, first seed of each variant):\n\n")
        .append("| variant | target | FLOPs kept | parameters kept |\n| --- | --- | --- | --- |\n");
    byVariant.forEach((v, cells) -> cells.forEach((t, bySeed) -> {
      if (t < 1) {
        FilterRow r = bySeed.values().iterator().next();
        s.append(String.format(Locale.ROOT, "| %s | flops(%s) | %.3f | %.3f |%n", v, t,
            r.flopsKept(), r.parametersKept()));
      }
    }));
    return s.toString();
  }

  private static String meanAndSeeds(Map<Long, FilterRow> bySeed, boolean test) {
    Map<Long, Double> percent = new TreeMap<>();
    bySeed.forEach((seed, r) -> percent.put(seed, 100 * (test ? r.testAccuracy()
        : r.validationAccuracy())));
    return StudySummary.meanAndSeeds(percent);
  }
}
