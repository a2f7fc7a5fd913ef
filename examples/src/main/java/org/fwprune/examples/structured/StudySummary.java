package org.fwprune.examples.structured;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fwprune.examples.reproduce.Aggregate;
import org.fwprune.examples.study.Charts;
import org.fwprune.examples.study.Stat;

/**
 * The structured study's rows as tables and charts: per (method, FLOPs target), the mean and
 * standard deviation over seeds of accuracy and speed-up.
 */
public final class StudySummary {

  /** File name of the accuracy against speed-up chart at the large batch. */
  public static final String LARGE_CHART = "structured_accuracy_vs_speedup_large_batch.png";
  /** File name of the accuracy against speed-up chart at the small batch. */
  public static final String SMALL_CHART = "structured_accuracy_vs_speedup_small_batch.png";

  private StudySummary() {}

  /** Rows grouped by (method, flops), in method order then first appearance. */
  static Map<String, List<StudyRow>> cells(List<StudyRow> rows) {
    Map<String, List<StudyRow>> out = new LinkedHashMap<>();
    for (StudyMethod m : StudyMethod.values()) {
      rows.stream().filter(r -> r.method() == m).forEach(r -> out.computeIfAbsent(
          name(r), k -> new ArrayList<>()).add(r));
    }
    return out;
  }

  private static String name(StudyRow r) {
    return r.method().selection().isPresent() ? r.method().label() + ", " + r.keep()
        : r.method().label();
  }

  private static Stat stat(List<StudyRow> rows, ToDoubleFunction<StudyRow> f) {
    return Stat.of(rows.stream().mapToDouble(f).toArray());
  }

  private static String pm(Stat s, double scale, String format) {
    if (Double.isNaN(s.mean())) {
      return "–";
    }
    return String.format(Locale.ROOT, format + " ± " + format, s.mean() * scale,
        s.std() * scale);
  }

  /** A markdown table, one line per (method, FLOPs target). */
  public static String markdown(List<StudyRow> rows) {
    StringBuilder sb = new StringBuilder();
    int small = rows.isEmpty() ? 1 : rows.get(0).smallBatch();
    int large = rows.isEmpty() ? 1000 : rows.get(0).largeBatch();
    sb.append("| method | seeds | test accuracy % | validation accuracy % | validation % before"
        + " fine-tune | parameters | multiply-adds / example | speed-up batch ").append(small)
        .append(" | speed-up batch ").append(large).append(" | kept channels per group (first seed) |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    cells(rows).forEach((name, group) -> sb.append(String.format(Locale.ROOT,
        "| %s | %d | %s | %s | %s | %,.0f | %,.0f | %s | %s | %s |%n", name, group.size(),
        pm(stat(group, StudyRow::testAccuracy), 100, "%.2f"),
        pm(stat(group, StudyRow::validationAccuracy), 100, "%.2f"),
        pm(stat(group, StudyRow::validationBeforeFineTune), 100, "%.2f"),
        stat(group, r -> r.parameters()).mean(), stat(group, r -> r.macs()).mean(),
        pm(stat(group, StudyRow::smallSpeedUp), 1, "%.2f"),
        pm(stat(group, StudyRow::largeSpeedUp), 1, "%.2f"), group.get(0).kept())));
    return sb.toString();
  }

  /** Writes the two accuracy against speed-up charts into {@code dir}; returns the files. */
  public static List<Path> writeCharts(Path dir, List<StudyRow> rows) throws IOException {
    List<Path> files = new ArrayList<>();
    for (boolean largeBatch : new boolean[] {true, false}) {
      List<Charts.SpeedUpPoint> points = new ArrayList<>();
      cells(rows).forEach((name, group) -> {
        StudyRow first = group.get(0);
        points.add(new Charts.SpeedUpPoint(first.method().label(),
            first.method().selection().isPresent() ? first.keep() : "",
            stat(group, largeBatch ? StudyRow::largeSpeedUp : StudyRow::smallSpeedUp),
            stat(group, StudyRow::testAccuracy)));
      });
      int batch = rows.isEmpty() ? 0 : largeBatch ? rows.get(0).largeBatch()
          : rows.get(0).smallBatch();
      Path file = dir.resolve(largeBatch ? LARGE_CHART : SMALL_CHART);
      Charts.writeAccuracyBySpeedUp(file, points,
          "Structured pruning: test accuracy against speed-up at batch " + batch,
          "Inference speed-up over the dense checkpoint, batch " + batch,
          "mean ± std over " + rows.stream().mapToLong(StudyRow::seed).distinct().count()
              + " seeds; labels: keep rule");
      files.add(file);
    }
    return files;
  }
}
