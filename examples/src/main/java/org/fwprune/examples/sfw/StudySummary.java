package org.fwprune.examples.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.fwprune.examples.study.GridRunner;
import org.fwprune.examples.reproduce.Aggregate;
import org.fwprune.examples.study.Charts;
import org.fwprune.examples.study.Json;
import org.fwprune.examples.study.Stat;

/**
 * Reads the CSV files of {@link SfwStudy} and prints the markdown tables of docs/sfw.md: test and
 * validation accuracy per variant and sparsity (each seed and the mean), and the paired gap of one
 * SFW run pruned without retraining to GMP run once per target, against the goal.
 */
public final class StudySummary {

  /** A table row: a method with or without the fine-tune. */
  private record Variant(String name, Predicate<StudyRow> matches) {}

  private StudySummary() {}

  /**
   * The rows of study CSV files, in order.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed row
   */
  public static List<StudyRow> read(List<Path> files) throws IOException {
    return GridRunner.merge(StudyRow.FORMAT, files);
  }

  /** File name of the test accuracy against sparsity chart. */
  public static final String CHART = "accuracy_vs_sparsity.png";

  /** File name of the per-variant statistics. */
  public static final String JSON = "summary.json";

  /**
   * One cell of the tables: a variant at a target sparsity, over the seeds measured.
   *
   * @param variant the table row's name
   * @param target the target sparsity (0: dense)
   * @param seeds the seeds measured, ascending
   * @param testAccuracy test accuracy, mean and sample std over the seeds
   * @param validationAccuracy validation accuracy, mean and sample std over the seeds
   */
  public record Cell(String variant, double target, List<Long> seeds, Stat testAccuracy,
      Stat validationAccuracy) {}

  /** Every non-empty cell, variant by variant, targets ascending. */
  public static List<Cell> cells(List<StudyRow> rows) {
    List<Cell> cells = new ArrayList<>();
    for (Variant v : variants(rows)) {
      Map<Double, List<StudyRow>> byTarget = new TreeMap<>();
      rows.stream().filter(v.matches())
          .forEach(r -> byTarget.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r));
      byTarget.forEach((target, group) -> {
        List<StudyRow> sorted = group.stream()
            .sorted(Comparator.comparingLong(StudyRow::seed)).toList();
        cells.add(new Cell(v.name(), target, sorted.stream().map(StudyRow::seed).toList(),
            Stat.of(sorted.stream().mapToDouble(StudyRow::testAccuracy).toArray()),
            Stat.of(
                sorted.stream().mapToDouble(StudyRow::validationAccuracy).toArray())));
      });
    }
    return cells;
  }

  /**
   * Writes {@link #CHART} (test accuracy against sparsity, one line per variant, error bars of
   * one std over seeds) and {@link #JSON} (the {@link #cells}) into {@code dir}, each atomically;
   * returns the files.
   */
  public static List<Path> writeFiles(Path dir, List<StudyRow> rows) throws IOException {
    return writeFiles(dir, rows, "");
  }

  /**
   * As {@link #writeFiles(Path, List)}, with {@code note} (empty for none) appended to the
   * chart's subtitle.
   */
  public static List<Path> writeFiles(Path dir, List<StudyRow> rows, String note)
      throws IOException {
    List<Cell> cells = cells(rows);
    List<String> names = cells.stream().map(Cell::variant).distinct().toList();
    List<Charts.LinePoint> points = cells.stream().map(c -> new Charts.LinePoint(
        c.variant(), names.indexOf(c.variant()), 100 * c.target(), new Stat(
            100 * c.testAccuracy().mean(), 100 * c.testAccuracy().std()))).toList();
    Files.createDirectories(dir);
    Path chart = dir.resolve(CHART);
    long seeds = rows.stream().mapToLong(StudyRow::seed).distinct().count();
    Charts.writeAccuracyBySparsity(chart, points,
        "Test accuracy against sparsity, magnitude-pruned after training",
        "mean ± std over " + seeds + " seed" + (seeds == 1 ? "" : "s")
            + "; sparsity 0: the dense network" + (note.isEmpty() ? "" : "; " + note));
    Path json = dir.resolve(JSON);
    Json.write(json, cells);
    return List.of(chart, json);
  }

  /** Minibatch gradients a row's network was trained with, before any fine-tune. */
  static long training(StudyRow r) {
    return r.gradients() - r.fineTuneSteps();
  }

  /** The training budgets ({@link #training}) of {@code method}'s rows, ascending. */
  private static TreeSet<Long> budgets(List<StudyRow> rows, StudyMethod method) {
    TreeSet<Long> budgets = new TreeSet<>();
    rows.stream().filter(r -> r.method() == method).forEach(r -> budgets.add(training(r)));
    return budgets;
  }

  /**
   * The variants the rows hold, method by method in {@link StudyMethod} order: pruned with no
   * retraining, then with the fine-tune. A method trained with more than one budget (files of
   * several studies read together) gets one variant per budget, named with it.
   */
  private static List<Variant> variants(List<StudyRow> rows) {
    List<Variant> variants = new ArrayList<>();
    for (StudyMethod m : StudyMethod.values()) {
      TreeSet<Long> budgets = budgets(rows, m);
      for (long b : budgets) {
        String at = budgets.size() > 1 ? String.format(Locale.ROOT, ", %,d gradients", b) : "";
        Predicate<StudyRow> trained = r -> r.method() == m && training(r) == b;
        variants.add(new Variant(m.label() + at + (m == StudyMethod.GMP
            ? " (one run per target)" : ", no retraining"),
            trained.and(r -> r.fineTuneSteps() == 0)));
        if (m != StudyMethod.GMP && m != StudyMethod.SGD_MOMENTUM) {
          variants.add(new Variant(m.label() + at + " + fine-tune",
              trained.and(r -> r.fineTuneSteps() > 0)));
        }
      }
    }
    return variants;
  }

  /**
   * The rows that fit GMP's total budget when every target of the GMP rows is wanted (issue 30's
   * equal total gradients): GMP trains dense for half its per-target gradients G and prunes for
   * the other half once per target, so k targets cost B = G/2 (1 + k) (docs/sfw.md). A network
   * trained once with T gradients and fine-tuned F steps per target costs T + k F; rows above B
   * are dropped, GMP's rows kept.
   *
   * @throws IllegalArgumentException if the rows hold no GMP row or GMP rows of several budgets
   */
  public static List<StudyRow> withinGmpBudget(List<StudyRow> rows) {
    long k = gmpTargets(rows);
    long budget = gmpBudget(rows);
    return rows.stream().filter(r -> r.method() == StudyMethod.GMP
        || training(r) + k * r.fineTuneSteps() <= budget).toList();
  }

  /** GMP's total gradients for all its targets, B = G/2 (1 + k), as in {@link #withinGmpBudget}. */
  public static long gmpBudget(List<StudyRow> rows) {
    TreeSet<Long> perTarget = new TreeSet<>();
    rows.stream().filter(r -> r.method() == StudyMethod.GMP)
        .forEach(r -> perTarget.add(r.gradients()));
    checkArgument(perTarget.size() == 1,
        "the equal budget is GMP's: the rows need GMP rows of one budget, found %s", perTarget);
    return perTarget.first() / 2 * (1 + gmpTargets(rows));
  }

  private static long gmpTargets(List<StudyRow> rows) {
    return rows.stream().filter(r -> r.method() == StudyMethod.GMP && r.target() > 0)
        .mapToDouble(StudyRow::target).distinct().count();
  }

  /** The markdown tables for {@code rows}. */
  public static String markdown(List<StudyRow> rows) {
    List<Variant> variants = variants(rows);
    TreeSet<Double> targets = new TreeSet<>();
    rows.forEach(r -> targets.add(r.target()));
    StringBuilder out = new StringBuilder();
    out.append("Test accuracy %, mean over seeds (each seed in parentheses):\n\n");
    table(out, rows, variants, targets, true);
    out.append("\nValidation accuracy %, mean over seeds (each seed in parentheses):\n\n");
    table(out, rows, variants, targets, false);
    out.append("\nPaired test-accuracy gap, SFW pruned without retraining minus GMP, points per")
        .append(" seed; goal: >= -0.3 up to 90%, >= -1 at 95%:\n\n");
    gaps(out, rows, targets);
    return out.toString();
  }

  private static void table(StringBuilder out, List<StudyRow> rows, List<Variant> variants,
      TreeSet<Double> targets, boolean test) {
    out.append("| variant |");
    targets.forEach(t -> out.append(t == 0 ? " dense |" : String.format(Locale.ROOT, " %.0f%% |",
        100 * t)));
    out.append("\n| --- |");
    targets.forEach(t -> out.append(" --- |"));
    out.append('\n');
    for (Variant v : variants) {
      Map<Double, Map<Long, Double>> cells = new TreeMap<>();
      for (StudyRow r : rows) {
        if (v.matches().test(r)) {
          cells.computeIfAbsent(r.target(), t -> new TreeMap<>())
              .put(r.seed(), 100 * (test ? r.testAccuracy() : r.validationAccuracy()));
        }
      }
      if (cells.isEmpty()) {
        continue;
      }
      out.append("| ").append(v.name()).append(" |");
      for (double t : targets) {
        Map<Long, Double> bySeed = cells.get(t);
        out.append(' ').append(bySeed == null ? "" : meanAndSeeds(bySeed)).append(" |");
      }
      out.append('\n');
    }
  }

  /** {@code mean (seed 0 / seed 1 / ...)}, two decimals; the mean alone for one seed. */
  static String meanAndSeeds(Map<Long, Double> bySeed) {
    double mean = bySeed.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f", mean));
    if (bySeed.size() > 1) {
      s.append(" (");
      bySeed.values().forEach(a -> s.append(s.charAt(s.length() - 1) == '(' ? "" : " / ")
          .append(String.format(Locale.ROOT, "%.2f", a)));
      s.append(')');
    }
    return s.toString();
  }

  private static void gaps(StringBuilder out, List<StudyRow> rows, TreeSet<Double> targets) {
    TreeSet<Long> budgets = budgets(rows, StudyMethod.SFW);
    if (budgets.size() <= 1) {
      gapTable(out, rows, targets);
      return;
    }
    for (long b : budgets) {
      out.append(String.format(Locale.ROOT, "SFW trained with %,d gradients:%n%n", b));
      gapTable(out, rows.stream().filter(r -> r.method() != StudyMethod.SFW || training(r) == b)
          .toList(), targets);
      out.append('\n');
    }
  }

  private static void gapTable(StringBuilder out, List<StudyRow> rows, TreeSet<Double> targets) {
    out.append("| target | gap per seed | goal |\n| --- | --- | --- |\n");
    for (double t : targets) {
      if (t == 0) {
        continue;
      }
      Map<Long, Double> sfw = accuracies(rows, StudyMethod.SFW, t);
      Map<Long, Double> gmp = accuracies(rows, StudyMethod.GMP, t);
      StringBuilder cell = new StringBuilder();
      boolean held = true;
      boolean any = false;
      for (Map.Entry<Long, Double> e : sfw.entrySet()) {
        Double g = gmp.get(e.getKey());
        if (g == null) {
          continue;
        }
        double gap = e.getValue() - g;
        cell.append(cell.length() == 0 ? "" : " / ")
            .append(String.format(Locale.ROOT, "%+.2f (seed %d)", gap, e.getKey()));
        held &= gap >= (t <= 0.9 + 1e-9 ? -0.3 : -1.0);
        any = true;
      }
      if (!any) {
        continue;
      }
      String goal = t > 0.95 + 1e-9 ? "none set" : held ? "held" : "missed";
      out.append(String.format(Locale.ROOT, "| %.0f%% | %s | %s |%n", 100 * t, cell, goal));
    }
  }

  private static Map<Long, Double> accuracies(List<StudyRow> rows, StudyMethod method,
      double target) {
    Map<Long, Double> out = new TreeMap<>();
    for (StudyRow r : rows) {
      if (r.method() == method && r.fineTuneSteps() == 0 && r.target() == target) {
        out.put(r.seed(), 100 * r.testAccuracy());
      }
    }
    return out;
  }
}
