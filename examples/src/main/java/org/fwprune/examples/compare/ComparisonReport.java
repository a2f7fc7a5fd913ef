package org.fwprune.examples.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fwprune.examples.study.Charts;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.Tuning;

/**
 * The study's report: test accuracy per method, sparsity, budget and checkpoint, the paired
 * differences to the baseline, the learning rates chosen on validation, the verdict on the
 * research issue's two criteria, and one accuracy-against-sparsity chart per budget and
 * checkpoint.
 */
public final class ComparisonReport {

  /** Paired margin every seed must clear at both checkpoints, in points. */
  public static final double MARGIN = 0.3;
  /** How many times fewer non-zeros count as "sparser at equal accuracy". */
  public static final double FEWER_NONZEROS = 1.5;

  private final List<StudyRun> runs;
  private final Method baseline;
  private final List<PairedComparison.Line> lines;

  private ComparisonReport(List<StudyRun> runs, Method baseline) {
    this.runs = List.copyOf(runs);
    this.baseline = baseline;
    this.lines = List.copyOf(PairedComparison.of(this.runs, baseline));
  }

  /** The comparison of {@code runs} with {@code baseline}, computed once for every output. */
  public static ComparisonReport of(List<StudyRun> runs, Method baseline) {
    return new ComparisonReport(runs, baseline);
  }

  /** The markdown report. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, List<PairedComparison.Line>> byTable = group(lines);
    md.append("## Test accuracy %, mean ± std over seeds\n\n");
    md.append("Columns: target sparsity. Below each table, the paired difference to ")
        .append(baseline.id()).append(" in points, mean [min, max] over seeds.\n\n");
    for (Map.Entry<String, List<PairedComparison.Line>> e : byTable.entrySet()) {
      md.append("### ").append(e.getKey()).append("\n\n");
      List<Double> sparsities = e.getValue().stream().map(l -> l.run().sparsity()).distinct()
          .sorted().toList();
      header(md, "method", sparsities);
      for (Method m : methods(e.getValue())) {
        md.append("| ").append(m.id());
        for (double s : sparsities) {
          md.append(" | ").append(find(e.getValue(), m, s)
              .map(l -> String.format(Locale.ROOT, "%.2f ± %.2f", l.accuracy().mean(),
                  l.accuracy().std())).orElse(""));
        }
        md.append(" |\n");
      }
      md.append('\n');
      header(md, "difference to " + baseline.id(), sparsities);
      for (Method m : methods(e.getValue())) {
        if (m == baseline) {
          continue;
        }
        md.append("| ").append(m.id());
        for (double s : sparsities) {
          md.append(" | ").append(find(e.getValue(), m, s)
              .filter(l -> l.differences().length > 0)
              .map(l -> String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", l.meanDifference(),
                  l.minDifference(), l.maxDifference()))
              .orElse(""));
        }
        md.append(" |\n");
      }
      md.append('\n');
    }
    verdict(md, lines, baseline);
    learningRates(md, runs);
    return md.toString();
  }

  /** Writes one accuracy-against-sparsity chart per budget and checkpoint; returns the files. */
  public List<Path> charts(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, List<PairedComparison.Line>> e : group(lines).entrySet()) {
      List<Charts.LinePoint> points = e.getValue().stream()
          .filter(l -> l.method().isPruning())
          .sorted(Comparator.comparing(PairedComparison.Line::method))
          .map(l -> new Charts.LinePoint(l.method().id(), l.method().ordinal(),
              100 * l.run().sparsity(), l.accuracy()))
          .toList();
      PairedComparison.Line first = e.getValue().get(0);
      Path file = dir.resolve(String.format(Locale.ROOT, "accuracy_vs_sparsity_f%d_p%.0f_e%d.png",
          first.run().fineTuneSteps(), 100 * first.run().pruningFraction(), first.checkpoint()));
      Charts.writeAccuracyBySparsity(file, points, "Test accuracy against sparsity",
          e.getKey() + "; error bars: one std over seeds");
      files.add(file);
    }
    return files;
  }

  private static Map<String, List<PairedComparison.Line>> group(
      List<PairedComparison.Line> lines) {
    List<PairedComparison.Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingLong((PairedComparison.Line l) -> l.run().fineTuneSteps())
        .thenComparingDouble(l -> l.run().pruningFraction())
        .thenComparingInt(PairedComparison.Line::checkpoint));
    Map<String, List<PairedComparison.Line>> out = new LinkedHashMap<>();
    for (PairedComparison.Line l : sorted) {
      out.computeIfAbsent(String.format(Locale.ROOT, "%s; %d-epoch checkpoint",
          l.run().protocol(), l.checkpoint()), k -> new ArrayList<>()).add(l);
    }
    return out;
  }

  private static List<Method> methods(List<PairedComparison.Line> lines) {
    return lines.stream().map(PairedComparison.Line::method).distinct().sorted().toList();
  }

  private static Optional<PairedComparison.Line> find(
      List<PairedComparison.Line> lines, Method m, double sparsity) {
    return lines.stream().filter(l -> l.method() == m && l.run().sparsity() == sparsity)
        .findFirst();
  }

  private static void header(StringBuilder md, String first, List<Double> sparsities) {
    md.append("| ").append(first);
    sparsities.forEach(s -> md.append(String.format(Locale.ROOT, " | %.0f%%", 100 * s)));
    md.append(" |\n| ---");
    sparsities.forEach(s -> md.append(" | ---:"));
    md.append(" |\n");
  }

  /**
   * The two criteria: a method beats the baseline by {@link #MARGIN} in every seed at every
   * checkpoint of one (sparsity, budget); or, at a sparsity with at least {@link
   * #FEWER_NONZEROS} times fewer non-zeros, it is at least as accurate as the baseline at a lower
   * sparsity, in every seed and checkpoint.
   */
  private static void verdict(StringBuilder md, List<PairedComparison.Line> lines,
      Method baseline) {
    md.append("## Verdict\n\n");
    Map<String, List<PairedComparison.Line>> byRun = lines.stream().filter(
        l -> l.method() != baseline && l.method().isPruning()).collect(Collectors.groupingBy(
            l -> l.method().id() + String.format(Locale.ROOT, " at %.0f%% (%s)",
                100 * l.run().sparsity(), l.run().protocol()), TreeMap::new,
            Collectors.toList()));
    int margins = 0;
    for (Map.Entry<String, List<PairedComparison.Line>> e : byRun.entrySet()) {
      double worst = e.getValue().stream().mapToDouble(PairedComparison.Line::minDifference)
          .min().orElse(Double.NaN);
      if (worst >= MARGIN) {
        md.append(String.format(Locale.ROOT, "- %s beats %s by at least %.1f points in every"
            + " seed and checkpoint (smallest paired difference %+.2f).%n", e.getKey(),
            baseline.id(), MARGIN, worst));
        margins++;
      }
    }
    if (margins == 0) {
      md.append(String.format(Locale.ROOT, "- No method beats %s by %.1f points in every seed"
          + " and checkpoint at any sparsity and budget.%n", baseline.id(), MARGIN));
    }
    int sparser = 0;
    for (PairedComparison.Line l : lines) {
      if (l.method() == baseline || !l.method().isPruning()) {
        continue;
      }
      for (PairedComparison.Line b : lines) {
        boolean fewer = b.method() == baseline && b.checkpoint() == l.checkpoint()
            && b.run().protocol().equals(l.run().protocol())
            && (1 - l.run().sparsity()) * FEWER_NONZEROS <= (1 - b.run().sparsity()) + 1e-12;
        if (fewer && atLeastInEverySeed(l, b)) {
          md.append(String.format(Locale.ROOT, "- %s at %.0f%% (%s, %d-epoch checkpoint)"
              + " is at least as accurate as %s at %.0f%% in every seed.%n", l.method().id(),
              100 * l.run().sparsity(), l.run().protocol(), l.checkpoint(), baseline.id(),
              100 * b.run().sparsity()));
          sparser++;
        }
      }
    }
    if (sparser == 0) {
      md.append(String.format(Locale.ROOT, "- No method reaches %s's accuracy, in every seed,"
          + " with %.1f times fewer non-zeros.%n", baseline.id(), FEWER_NONZEROS));
    }
    md.append('\n');
  }

  private static boolean atLeastInEverySeed(PairedComparison.Line l, PairedComparison.Line b) {
    int seeds = l.differences().length;
    if (seeds == 0) {
      return false;
    }
    for (int seed = 0; seed < seeds; seed++) {
      var mine = l.run().accuracy(l.method(), l.checkpoint(), seed);
      var theirs = b.run().accuracy(b.method(), b.checkpoint(), seed);
      if (mine.isEmpty() || theirs.isEmpty() || mine.getAsDouble() < theirs.getAsDouble()) {
        return false;
      }
    }
    return true;
  }

  private static void learningRates(StringBuilder md, List<StudyRun> runs) {
    md.append("## Fine-tune learning rates chosen on validation\n\n")
        .append("Validation accuracy % per learning rate, seed 0; the chosen rate in bold.\n\n");
    List<StudyRun> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(StudyRun::protocol)
        .thenComparingDouble(StudyRun::sparsity));
    md.append("| sparsity | protocol | method | candidates |\n| ---: | --- | --- | --- |\n");
    for (StudyRun run : sorted) {
      if (run.tuning() == null) {
        continue;
      }
      for (Tuning.MethodTuning t : run.tuning().methods()) {
        String candidates = t.candidates().stream().map(c -> {
          String text = String.format(Locale.ROOT, "%s: %.2f", c.learningRate(),
              100 * c.validationAccuracy());
          return c.learningRate() == t.chosenLearningRate() ? "**" + text + "**" : text;
        }).collect(Collectors.joining(", "));
        md.append(String.format(Locale.ROOT, "| %.0f%% | %s | %s | %s |%n",
            100 * run.sparsity(), run.protocol(), t.method().id(), candidates));
      }
    }
    md.append('\n');
  }
}
