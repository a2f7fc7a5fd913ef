package org.fwprune.pruning.structured;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.PaperNetwork;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;

/**
 * The experiment of docs/structured.md: from a 2-epoch dense checkpoint of the paper network
 * (plain SGD lr 0.05, batch 128), greedy forward selection with the accuracy stopping rule, the
 * L1-norm filter baseline at the same kept counts (equal FLOPs) and, for reference, unstructured
 * gradual magnitude pruning to 90%, each fine-tuned for the same budget; accuracy, parameters,
 * multiply-adds and measured inference time (batch 1 and 1000) of every model.
 *
 * <p>Arguments are {@code key=value}: {@code seeds=0,1,2}, {@code fraction=0.98} (accuracy rule,
 * of the dense training-subset accuracy), {@code maxKeep=0.5}, {@code flops=0} (if positive, the
 * greedy selection keeps a uniform fraction of filters within this FLOPs fraction instead of the
 * accuracy rule), {@code scaling=MASK}, {@code candidates=32}, {@code lr=0.01} (fine-tune learning
 * rate, SGD momentum 0.9), {@code l1Lr} and {@code magnitudeLr} (default {@code lr}),
 * {@code epochs=1} (fine-tune budget), {@code split=validation} or
 * {@code test} (the data the accuracy column is measured on; tune on validation only),
 * {@code unstructured=true}, {@code timing=true}, {@code checkpoints=target/structured-checkpoints}.
 */
public final class StructuredMnistExperiment {

  /** The experiment's settings. */
  record Config(List<Long> seeds, double fraction, double maxKeep, double flops, Scaling scaling,
      int candidates, double lr, double l1Lr, double magnitudeLr, double epochs, boolean onTest,
      boolean unstructured, boolean timing, int timingRepeats, Path checkpoints) {

    static Config parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String a : args) {
        int eq = a.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("expected key=value, got " + a);
        }
        m.put(a.substring(0, eq), a.substring(eq + 1));
      }
      List<Long> seeds = new ArrayList<>();
      for (String s : m.getOrDefault("seeds", "0,1,2").split(",")) {
        seeds.add(Long.parseLong(s.trim()));
      }
      String lr = m.getOrDefault("lr", "0.01");
      Config c = new Config(seeds,
          Double.parseDouble(m.getOrDefault("fraction", "0.98")),
          Double.parseDouble(m.getOrDefault("maxKeep", "0.5")),
          Double.parseDouble(m.getOrDefault("flops", "0")),
          Scaling.valueOf(m.getOrDefault("scaling", "MASK")),
          Integer.parseInt(m.getOrDefault("candidates", "32")),
          Double.parseDouble(lr),
          Double.parseDouble(m.getOrDefault("l1Lr", lr)),
          Double.parseDouble(m.getOrDefault("magnitudeLr", lr)),
          Double.parseDouble(m.getOrDefault("epochs", "1")),
          m.getOrDefault("split", "validation").equals("test"),
          Boolean.parseBoolean(m.getOrDefault("unstructured", "true")),
          Boolean.parseBoolean(m.getOrDefault("timing", "true")),
          Integer.parseInt(m.getOrDefault("timingRepeats", "40")),
          Path.of(m.getOrDefault("checkpoints", "target/structured-checkpoints")));
      List<String> known = List.of("seeds", "fraction", "maxKeep", "flops", "scaling",
          "candidates", "lr", "l1Lr", "magnitudeLr", "epochs", "split", "unstructured", "timing", "timingRepeats",
          "checkpoints");
      for (String k : m.keySet()) {
        if (!known.contains(k)) {
          throw new IllegalArgumentException("unknown option " + k + "; known: " + known);
        }
      }
      return c;
    }
  }

  /**
   * One model of one seed.
   *
   * @param accuracy on the validation or test split, as configured
   * @param msBatch1 median milliseconds per example at batch 1 (NaN without timing)
   * @param msBatch1000 median milliseconds per example at batch 1000
   * @param kept kept filters per pruned layer (empty for dense and unstructured)
   * @param validationBeforeFineTune validation accuracy right after selection (NaN if none)
   */
  record Row(long seed, String method, double accuracy, long parameters, long nonZeros,
      long flops, double msBatch1, double msBatch1000, Map<String, Integer> kept,
      double seconds, double validationBeforeFineTune) {}

  /** Every row, seed by seed. */
  record Report(Config config, String split, List<Row> rows) {}

  private StructuredMnistExperiment() {}

  public static void main(String[] args) throws IOException {
    Config config = Config.parse(args);
    Path folder = SyntheticData.mnistFolder().orElseThrow(() -> new IOException(
        "no MNIST folder at ../shared/datasets/mnist (run from the repository root)"));
    Mnist mnist = Mnist.load(folder);
    Dataset all = mnist.train();
    Dataset train = all.subset(0, 55_000);
    Dataset validation = all.subset(55_000, 60_000);
    Report report = run(config, train, validation, mnist.test());
    System.out.println(markdown(report));
  }

  /** Runs every seed; {@code test} is used only with {@code split=test}. */
  static Report run(Config c, Dataset train, Dataset validation, Dataset test) throws IOException {
    Dataset eval = c.onTest() ? test : validation;
    List<Row> rows = new ArrayList<>();
    for (long seed : c.seeds()) {
      try (Cnn dense = checkpoint(c, seed, train)) {
        log("seed %d: dense %s accuracy %.4f", seed, c.onTest() ? "test" : "validation",
            dense.evaluate(eval).accuracy());
        StructuredPruner.Builder common = StructuredPruner.builder()
            .fineTune(Optimizers.momentum(c.lr(), 0.9)).fineTuneEpochs(c.epochs())
            .candidates(c.candidates()).validation(validation).seed(seed);
        KeepRule rule = c.flops() > 0 ? KeepRule.flops(c.flops())
            : KeepRule.accuracy(c.fraction(), c.maxKeep());
        try (StructuredResult fw = common.keep(rule).scaling(c.scaling()).build()
                .prune(dense, train);
            StructuredResult l1 = common.scaling(Scaling.MASK).selection(SelectionMethod.L1_NORM)
                .fineTune(Optimizers.momentum(c.l1Lr(), 0.9))
                .keep(KeepRule.counts(fw.keptCounts())).build().prune(dense, train);
            Cnn magnitude = dense.copy()) {
          log("%s", fw);
          log("%s", l1);
          double magnitudeSeconds = Double.NaN;
          if (c.unstructured()) {
            PruningReport r = MagnitudePruner.builder().targetSparsity(0.9)
                .fineTune(Optimizers.momentum(c.magnitudeLr(), 0.9)).epochs(c.epochs())
                .seed(seed).build().prune(magnitude, train);
            magnitudeSeconds = r.seconds();
            log("%s", r);
          }
          List<Cnn> models = new ArrayList<>(List.of(dense, fw.model(), l1.model()));
          if (c.unstructured()) {
            models.add(magnitude);
          }
          double[] ms1 = new double[models.size()];
          double[] ms1000 = new double[models.size()];
          java.util.Arrays.fill(ms1, Double.NaN);
          java.util.Arrays.fill(ms1000, Double.NaN);
          if (c.timing()) {
            int big = Math.min(1000, test.size());
            List<InferenceTimer.Timing> t1 = InferenceTimer.measure(models, test, 1, 200,
                25 * c.timingRepeats());
            List<InferenceTimer.Timing> t1000 = InferenceTimer.measure(models, test, big, 5,
                c.timingRepeats());
            for (int i = 0; i < models.size(); i++) {
              ms1[i] = t1.get(i).msPerExample();
              ms1000[i] = t1000.get(i).msPerExample();
            }
          }
          rows.add(row(seed, "dense (2 epochs)", dense, eval, ms1[0], ms1000[0], Map.of(), 0,
              Double.NaN));
          rows.add(row(seed, "FW greedy selection", fw.model(), eval, ms1[1], ms1000[1],
              fw.keptCounts(), fw.seconds(), fw.accuracyPruned()));
          rows.add(row(seed, "L1-norm filters", l1.model(), eval, ms1[2], ms1000[2],
              l1.keptCounts(), l1.seconds(), l1.accuracyPruned()));
          if (c.unstructured()) {
            rows.add(row(seed, "unstructured magnitude 90%", magnitude, eval, ms1[3], ms1000[3],
                Map.of(), magnitudeSeconds, Double.NaN));
          }
          rows.subList(rows.size() - models.size(), rows.size()).forEach(r -> log("%s", r));
        }
      }
    }
    return new Report(c, c.onTest() ? "test" : "validation", rows);
  }

  private static Row row(long seed, String method, Cnn model, Dataset eval, double ms1,
      double ms1000, Map<String, Integer> kept, double seconds, double beforeFineTune) {
    long nonZeros = 0;
    for (float[] values : model.parameters().values()) {
      for (float v : values) {
        nonZeros += v != 0f ? 1 : 0;
      }
    }
    return new Row(seed, method, model.evaluate(eval).accuracy(), model.parameterCount(),
        nonZeros, Flops.perExample(model.architecture()), ms1, ms1000, kept, seconds,
        beforeFineTune);
  }

  /** The seed's 2-epoch dense checkpoint, trained once and cached in {@code checkpoints}. */
  private static Cnn checkpoint(Config c, long seed, Dataset train) throws IOException {
    Path dir = c.checkpoints().resolve("dense-2ep-seed" + seed + "-n" + train.size());
    if (Files.isDirectory(dir)) {
      return Cnn.load(dir);
    }
    Cnn model = PaperNetwork.builder().seed(seed).build();
    model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).batchSize(128).epochs(2)
        .seed(seed).build());
    model.save(dir);
    return model;
  }

  /** Per-method means ± standard deviations over the seeds, then every row. */
  static String markdown(Report report) {
    StringBuilder sb = new StringBuilder();
    Config c = report.config();
    sb.append(String.format(Locale.ROOT, "settings: %s%n%n", c));
    sb.append(String.format(Locale.ROOT,
        "| method | %s accuracy %% | validation %% before fine-tune | parameters (non-zero) "
            + "| multiply-adds | ms/example batch 1 | ms/example batch 1000 | speed-up batch 1 "
            + "| speed-up batch 1000 | kept filters |%n",
        report.split()));
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    Map<String, List<Row>> byMethod = new LinkedHashMap<>();
    report.rows().forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    List<Row> dense = byMethod.values().iterator().next();
    for (Map.Entry<String, List<Row>> e : byMethod.entrySet()) {
      List<Row> rows = e.getValue();
      List<Double> speed1 = new ArrayList<>();
      List<Double> speed1000 = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        speed1.add(dense.get(i).msBatch1() / rows.get(i).msBatch1());
        speed1000.add(dense.get(i).msBatch1000() / rows.get(i).msBatch1000());
      }
      List<String> kept = rows.stream().map(r -> r.kept().values().toString()).toList();
      sb.append(String.format(Locale.ROOT,
          "| %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s |%n",
          e.getKey(), meanStd(rows, r -> 100 * r.accuracy(), 2),
          meanStd(rows, r -> 100 * r.validationBeforeFineTune(), 2),
          meanStd(rows, r -> r.parameters(), 0), meanStd(rows, r -> r.nonZeros(), 0),
          meanStd(rows, r -> r.flops(), 0), meanStd(rows, Row::msBatch1, 4),
          meanStd(rows, Row::msBatch1000, 4), meanStd(speed1, 2), meanStd(speed1000, 2),
          String.join(" ", kept)));
    }
    sb.append(String.format(Locale.ROOT, "%nper seed:%n%n| seed | method | %s accuracy %% | "
        + "validation accuracy %% before fine-tune | ms/example b1 | ms/example b1000 | kept | "
        + "seconds |%n| --- | --- | --- | --- | --- | --- | --- | --- |%n", report.split()));
    for (Row r : report.rows()) {
      sb.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.4f | %.4f | %s | %.1f |%n",
          r.seed(), r.method(), 100 * r.accuracy(), 100 * r.validationBeforeFineTune(),
          r.msBatch1(), r.msBatch1000(), r.kept(), r.seconds()));
    }
    return sb.toString();
  }

  private static String meanStd(List<Row> rows, ToDoubleFunction<Row> f, int digits) {
    return meanStd(rows.stream().map(f::applyAsDouble).toList(), digits);
  }

  private static String meanStd(List<Double> values, int digits) {
    if (values.stream().anyMatch(v -> Double.isNaN(v))) {
      return "–";
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
        / Math.max(1, values.size() - 1);
    String fmt = "%,." + digits + "f";
    if (values.size() < 2 || var == 0) {
      return String.format(Locale.ROOT, fmt, mean);
    }
    return String.format(Locale.ROOT, fmt + " ± " + fmt, mean, Math.sqrt(var));
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, format + "%n", args);
  }
}
