package org.fwprune.examples.reproduce;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.examples.study.Json;
import org.fwprune.examples.study.Stat;

/**
 * Rewrites a results folder's reports from its rows: {@code results.json} (rows, configuration,
 * chosen learning rates, machines, means and standard deviations), {@code summary.md} (markdown
 * tables), one PNG chart per metric and one of accuracy against inference speed-up. Each file
 * is replaced atomically.
 */
public final class Reports {

  private Reports() {}

  /**
   * A flat row of {@code results.json}, with the same fields as a {@code results.csv} row.
   *
   * @param method the method
   * @param pretrainEpochs pre-training epochs of the checkpoint
   * @param seed the seed
   * @param targetSparsity the pruners' target
   * @param testAccuracy test accuracy in [0, 1]
   * @param testLoss mean test cross-entropy
   * @param nonzeroFraction non-zero fraction of the kernels
   * @param inferenceMsPerExample inference milliseconds per example
   * @param inferenceTimeRatio inference time over the dense checkpoint's
   * @param trainSeconds pre-training seconds up to the checkpoint
   * @param pruneSeconds seconds of the method
   * @param gradientEvaluations minibatch gradients of the method
   * @param flopsPerExample multiply-adds per example of the resulting network; null for a row of
   *     a results file written before this column existed
   */
  public record Row(Method method, int pretrainEpochs, int seed, double targetSparsity,
      double testAccuracy, double testLoss, double nonzeroFraction, double inferenceMsPerExample,
      double inferenceTimeRatio, double trainSeconds, double pruneSeconds,
      long gradientEvaluations, Long flopsPerExample) {

    static Row of(CellResult r) {
      Cell c = r.cell();
      return new Row(c.method(), c.pretrainEpochs(), c.seed(), c.targetSparsity(),
          r.testAccuracy(), r.testLoss(), r.nonzeroFraction(), r.inferenceMsPerExample(),
          r.inferenceTimeRatio(), r.trainSeconds(), r.pruneSeconds(), r.gradientEvaluations(),
          r.hasFlops() ? (long) r.flopsPerExample() : null);
    }
  }

  /**
   * The content of {@code results.json}.
   *
   * @param configuration the settings every row shares
   * @param runs the grid of each run whose rows are included (one per shard after a merge)
   * @param chosenLearningRates fine-tune learning rate per method, from the tuning phase
   * @param tuning the tuning phase: every candidate's validation accuracy
   * @param conflictingTunings tunings of merged shards that chose differently (normally empty)
   * @param machines the machines the runs measured on
   * @param rows every row of {@code results.csv}
   * @param summary mean and standard deviation over seeds per method and budget
   */
  public record Report(ExperimentSettings configuration, List<RunInfo.Plan> runs,
      Map<String, Double> chosenLearningRates, Tuning tuning, List<Tuning> conflictingTunings,
      List<MachineInfo> machines, List<Row> rows, List<Aggregate> summary) {

    /** Copies the collections. */
    public Report {
      runs = ImmutableList.copyOf(runs);
      chosenLearningRates = new LinkedHashMap<>(chosenLearningRates);
      conflictingTunings = ImmutableList.copyOf(conflictingTunings);
      machines = ImmutableList.copyOf(machines);
      rows = ImmutableList.copyOf(rows);
      summary = ImmutableList.copyOf(summary);
    }
  }

  /**
   * Writes every report of {@code folder} from {@code rows}.
   *
   * @param sources the run descriptions of the runs that wrote the rows, at least one; all with
   *     the same settings
   * @return the report written to {@code results.json}
   */
  public static Report write(ResultsFolder folder, List<CellResult> rows, List<RunInfo> sources)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("expected at least one run description, found none");
    }
    List<Aggregate> aggregates = Aggregate.of(rows);
    Tuning tuning = Tuning.union(sources.stream().map(RunInfo::tuning).toList());
    List<Tuning> conflicts = sources.stream().map(RunInfo::tuning)
        .filter(t -> t != null && !t.agreesWith(tuning)).distinct().toList();
    Report report = new Report(sources.get(0).settings(),
        sources.stream().map(RunInfo::plan).toList(),
        tuning == null ? Map.of() : tuning.chosen(), tuning, conflicts,
        sources.stream().map(RunInfo::machine).distinct().toList(),
        rows.stream().map(Row::of).toList(), aggregates);
    Json.write(folder.dir().resolve(ResultsFolder.RESULTS_JSON), report);
    ExperimentSettings s = report.configuration();
    int seeds = aggregates.stream().mapToInt(Aggregate::seeds).max().orElse(0);
    String subtitle = String.format(Locale.ROOT,
        "%.0f%% target sparsity, %d fine-tune gradients; %s", 100 * s.targetSparsity(),
        s.fineTuneSteps(), seeds > 1 ? "mean ± 1 std over " + seeds + " seeds" : "one seed");
    ReproduceCharts.write(folder.dir(), aggregates, subtitle);
    AtomicFiles.writeString(folder.dir().resolve(ResultsFolder.SUMMARY_FILE),
        markdown(report));
    return report;
  }

  /** The text of {@code summary.md}. */
  static String markdown(Report report) {
    ExperimentSettings s = report.configuration();
    StringBuilder md = new StringBuilder("# Pruning after pre-training: results\n\n");
    md.append(String.format(Locale.ROOT,
        "Target sparsity %.2f%% over the conv and dense kernels; every method gets %d minibatch"
            + " gradients (batch %d) after its checkpoint; fine-tuning is SGD with momentum %s,"
            + " its learning rate chosen per method from %s on the validation split at the"
            + " %d-epoch checkpoint of seed 0, then scaled over the budget by %s. Pre-training:"
            + " SGD at %s with momentum %s.%s\n\n",
        100 * s.targetSparsity(), s.fineTuneSteps(), s.batchSize(), num(s.fineTuneMomentum()),
        s.lrGrid().stream().map(Reports::num).collect(Collectors.joining(", ")),
        s.tuneBudget(), s.fineTuneSchedule(), num(s.pretrainLearningRate()),
        num(s.pretrainMomentum()), s.batchNormRecalibration() == 0 ? ""
            : " BatchNorm statistics re-estimated over " + s.batchNormRecalibration()
                + " training minibatches at the end of every method that trains."));
    md.append("Model: ").append(s.model()).append("  \nData: ").append(s.data()).append("\n\n");
    if (report.tuning() != null) {
      md.append("## Chosen fine-tune learning rates (validation accuracy per candidate)\n\n");
      md.append("| method | chosen lr | candidates |\n| --- | --- | --- |\n");
      for (Tuning.MethodTuning t : report.tuning().methods()) {
        md.append("| ").append(t.method().id()).append(" | ").append(num(t.chosenLearningRate()))
            .append(" | ").append(t.candidates().stream()
                .map(c -> num(c.learningRate()) + ": " + percent(c.validationAccuracy()))
                .collect(Collectors.joining(", "))).append(" |\n");
      }
      md.append('\n');
      if (!report.conflictingTunings().isEmpty()) {
        md.append("Warning: merged shards chose different learning rates: ")
            .append(report.conflictingTunings().stream().map(t -> t.chosen().toString())
                .collect(Collectors.joining("; ")))
            .append(". The table above is the first shard's.\n\n");
      }
    }
    md.append(accuracyTable(report.summary()));
    md.append("\n## Every metric (mean ± std over seeds; the mean alone for one seed)\n\n");
    md.append("Inference time ratio: the model's time over its dense checkpoint's, timed in"
        + " alternating passes over the test set (batch 1000, median of 3); speed-up is its"
        + " inverse, per seed, then averaged. Unstructured pruning masks zero weights but the"
        + " conv and matmul kernels stay dense, so expect about 1; deviations are timing noise."
        + " Multiply-adds per example count the conv and dense layers, masked zeros"
        + " included.\n\n");
    if (report.summary().stream().anyMatch(a -> a.method().isStructured())) {
      md.append("Structured methods (structured-fw: greedy forward selection of whole filters"
          + " with StructuredPruner's defaults, the accuracy rule of docs/structured.md;"
          + " structured-l1: the filters of largest L1 norm, as many per layer as structured-fw"
          + " keeps on the same checkpoint and seed, hence equal multiply-adds) build a smaller"
          + " network and fine-tune it for the same gradient budget; the target sparsity does"
          + " not apply to them. Their non-zero % is the smaller network's kernel weights over"
          + " the dense checkpoint's. Their method time includes the filter selection, whose"
          + " minibatch losses are not counted as gradients; structured-l1's leaves out the"
          + " greedy selection that fixed its counts.\n\n");
    }
    md.append("| method | epochs | seeds | test accuracy % | test loss | non-zero % |"
        + " multiply-adds / example | inference time ratio | speed-up | inference ms/example |"
        + " train s | method s | gradients |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        + " ---: |\n");
    for (Aggregate a : report.summary()) {
      md.append(String.format(Locale.ROOT,
          "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          a.method().id(), a.pretrainEpochs(), a.seeds(), pm(a, a.testAccuracy(), 100, 2),
          pm(a, a.testLoss(), 1, 4), pm(a, a.nonzeroFraction(), 100, 2),
          Double.isNaN(a.flopsPerExample().mean()) ? "–" : pm(a, a.flopsPerExample(), 1, 0),
          pm(a, a.inferenceTimeRatio(), 1, 3), pm(a, a.speedUp(), 1, 2),
          pm(a, a.inferenceMsPerExample(), 1, 4),
          pm(a, a.trainSeconds(), 1, 1), pm(a, a.pruneSeconds(), 1, 1),
          String.format(Locale.ROOT, "%.0f", a.gradientEvaluations().mean())));
    }
    md.append("\nCharts against the pre-training budget: ");
    md.append(Arrays.stream(ReproduceCharts.Metric.values()).map(m -> link(m.fileName))
        .collect(Collectors.joining(", ")));
    md.append(".  \nTest accuracy against measured inference speed-up (1 / inference time"
        + " ratio), one point per method and budget, labelled with the budget in epochs: ")
        .append(link(ReproduceCharts.SPEED_UP_FILE)).append(".\n\n## Machines\n\n");
    for (MachineInfo m : report.machines()) {
      md.append(String.format(Locale.ROOT, "- %s, %s, %d cores (%s), Java %s, TensorFlow %s%n",
          m.os(), m.arch(), m.cores(), m.cpu(), m.java(), m.tensorflow()));
    }
    return md.toString();
  }

  /** Test accuracy in %, methods as rows and budgets as columns. */
  private static String accuracyTable(List<Aggregate> summary) {
    TreeSet<Integer> budgets = new TreeSet<>();
    Map<Method, Map<Integer, Aggregate>> byMethod = new LinkedHashMap<>();
    for (Aggregate a : summary) {
      budgets.add(a.pretrainEpochs());
      byMethod.computeIfAbsent(a.method(), m -> new LinkedHashMap<>()).put(a.pretrainEpochs(), a);
    }
    StringBuilder md = new StringBuilder(
        "## Test accuracy % (mean ± std over seeds; the mean alone for one seed)\n\n");
    md.append("| method \\ pre-training epochs |");
    budgets.forEach(b -> md.append(' ').append(b).append(" |"));
    md.append("\n| --- |");
    budgets.forEach(b -> md.append(" ---: |"));
    md.append('\n');
    byMethod.forEach((method, cells) -> {
      md.append("| ").append(method.id()).append(" |");
      for (int b : budgets) {
        Aggregate a = cells.get(b);
        md.append(' ').append(a == null ? "" : pm(a, a.testAccuracy(), 100, 2)).append(" |");
      }
      md.append('\n');
    });
    return md.toString();
  }

  /** {@code mean ± std}, or the mean alone for a single seed, which has no spread to show. */
  private static String pm(Aggregate a, Stat s, double scale, int decimals) {
    String mean = String.format(Locale.ROOT, "%." + decimals + "f", s.mean() * scale);
    return a.seeds() < 2 ? mean
        : mean + String.format(Locale.ROOT, " ± %." + decimals + "f", s.std() * scale);
  }

  private static String link(String file) {
    return "[" + file + "](" + file + ")";
  }

  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "diverged"
        : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  private static String num(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
