package org.fwprune.examples.benchmark;

import static com.google.common.base.Preconditions.checkArgument;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.serving.Predictor;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.structured.ChannelGroups;
import org.fwprune.pruning.structured.Flops;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.LatencyTable;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * The speed-ups of issue 29's "structured speed-ups that are real": ResNet-20
 * ({@code Architectures.resNet(20, 28, 28, 1, 10)}, random weights, since time does not depend on
 * them) cut by {@link StructuredPruner} (L1 ranking, no fine-tune) with the uniform rule
 * ({@code KeepRule.uniformFlops}) and the latency-guided one ({@code KeepRule.flops}) at
 * multiply-add fractions 0.5 and 0.25, then the dense and the four smaller networks timed side by
 * side in one process: in the library (TensorFlow session: {@code Cnn.predict} at batch 1000,
 * {@code Cnn.tensorFlowPredictor()} at batch 1) and in ONNX Runtime (the exported file in an
 * {@code OrtSession} with the session options of {@code Cnn.predictor()}'s ONNX Runtime engine,
 * at batch 1000 and 1; intra-op spinning off, so that the idle sessions of the other networks do
 * not hold the shared machine's cores between their calls). In each round and each (engine, batch) the networks take turns call by call
 * ({@link MedianTimer#alternate}); a ratio is the median over rounds of the dense network's
 * median over the network's median in the same round. The table is printed after every round.
 *
 * <p>Run: {@code java -cp fwprune.jar org.fwprune.examples.benchmark.StructuredSpeedup MNIST_DIR
 * [ROUNDS [BATCH_1_REPEATS [BATCH_1000_REPEATS [LATENCY_BATCH [LATENCY_REPEATS]]]]]}; defaults
 * 5, 200, 4, 128, 9. The latency table is measured once, at {@code LATENCY_BATCH} examples per
 * call with {@code LATENCY_REPEATS} timed calls per network, and printed.
 */
public final class StructuredSpeedup {

  /** The keep rules timed against the dense network, by label. */
  public static Map<String, KeepRule> rules() {
    Map<String, KeepRule> out = new LinkedHashMap<>();
    out.put("uniformFlops(0.5)", KeepRule.uniformFlops(0.5));
    out.put("flops(0.5)", KeepRule.flops(0.5));
    out.put("uniformFlops(0.25)", KeepRule.uniformFlops(0.25));
    out.put("flops(0.25)", KeepRule.flops(0.25));
    return out;
  }

  /** The four timings of a round: engine and batch. */
  private static final String[] COLUMNS = {"TF b1000", "TF b1", "ORT b1000", "ORT b1"};

  private StructuredSpeedup() {}

  /** Runs the benchmark, or with first argument {@code accuracy} {@link #accuracy}. */
  public static void main(String[] args) throws IOException, OrtException {
    if (args.length > 0 && args[0].equals("accuracy")) {
      checkArgument(args.length >= 2, "usage: StructuredSpeedup accuracy MNIST_DIR [TRAIN_STEPS"
          + " [FINE_TUNE_STEPS [SEED]]]");
      accuracy(Mnist.load(Path.of(args[1])), args.length > 2 ? Integer.parseInt(args[2]) : 430,
          args.length > 3 ? Integer.parseInt(args[3]) : 215,
          args.length > 4 ? Long.parseLong(args[4]) : 0);
      return;
    }
    checkArgument(args.length >= 1, "usage: StructuredSpeedup MNIST_DIR [ROUNDS [BATCH_1_REPEATS"
        + " [BATCH_1000_REPEATS [LATENCY_BATCH [LATENCY_REPEATS]]]]]");
    Dataset test = Mnist.load(Path.of(args[0])).test();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int smallRepeats = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int largeRepeats = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int latencyBatch = args.length > 4 ? Integer.parseInt(args[4]) : 128;
    int latencyRepeats = args.length > 5 ? Integer.parseInt(args[5]) : 9;
    checkArgument(rounds >= 1 && smallRepeats >= 1 && largeRepeats >= 1,
        "rounds and repeats must be >= 1, got %s, %s, %s", rounds, smallRepeats, largeRepeats);
    try (Cnn dense = Cnn.of(Architectures.resNet(20, 28, 28, 1, 10).withSeed(42))) {
      LatencyTable table = LatencyTable.measure(dense, latencyBatch, latencyRepeats);
      System.out.print(table);
      List<String> labels = new ArrayList<>(List.of("dense"));
      List<Cnn> models = new ArrayList<>(List.of(dense));
      List<StructuredResult> results = new ArrayList<>();
      try {
        for (Map.Entry<String, KeepRule> rule : rules().entrySet()) {
          StructuredPruner.Builder b = StructuredPruner.builder()
              .selection(SelectionMethod.L1_NORM).keep(rule.getValue()).fineTuneSteps(0)
              .batchNormRecalibration(0);
          if (rule.getValue() instanceof KeepRule.LatencyFlops) {
            b.latencyTable(table);
          }
          StructuredResult r = b.build().prune(dense, test.subset(0, 64));
          results.add(r);
          labels.add(rule.getKey());
          models.add(r.model());
          System.out.printf(Locale.ROOT, "%-20s widths %s, multiply-adds %.3f of dense%n",
              rule.getKey(), r.keptCounts().values(), 1 / r.flopsReduction());
        }
        time(labels, models, test, rounds, smallRepeats, largeRepeats);
      } finally {
        results.forEach(StructuredResult::close);
      }
    }
  }

  /**
   * The accuracy cost of the rules, one seed: ResNet-20 trained {@code trainSteps} steps on the
   * first 55,000 MNIST training images (SGD momentum 0.9, lr 0.05, batch 128), then each rule
   * (L1 ranking) fine-tuned {@code fineTuneSteps} steps at the pruner's default (momentum 0.9, lr
   * 0.01), and the dense network trained on for the same steps at that rate; test accuracy of
   * each, printed as a Markdown table. The latency table is measured on the trained network at
   * the pruner's defaults (batch 128, 5 timed calls).
   */
  static void accuracy(Mnist mnist, int trainSteps, int fineTuneSteps, long seed) {
    Dataset train = mnist.train().subset(0, 55_000);
    Dataset test = mnist.test();
    StringBuilder table = new StringBuilder("| network | widths per group | multiply-adds of dense"
        + " | test accuracy % |\n| --- | --- | --- | --- |\n");
    try (Cnn dense = Cnn.of(Architectures.resNet(20, 28, 28, 1, 10).withSeed(seed))) {
      dense.fit(train, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
          .batchSize(128).steps(trainSteps).seed(seed).build());
      table.append(String.format(Locale.ROOT, "| dense (%d steps) | %s | 1.000 | %.2f |%n",
          trainSteps, widths(dense), 100 * dense.evaluate(test).accuracy()));
      try (Cnn on = dense.copy()) {
        on.fit(train, Training.builder().optimizer(StructuredPruner.DEFAULT_FINE_TUNE)
            .batchSize(128).steps(fineTuneSteps).seed(seed).build());
        table.append(String.format(Locale.ROOT, "| dense trained on (%d steps) | %s | 1.000 |"
            + " %.2f |%n", fineTuneSteps, widths(on), 100 * on.evaluate(test).accuracy()));
      }
      System.out.print(table);
      LatencyTable latency = LatencyTable.measure(dense, StructuredPruner.DEFAULT_LATENCY_BATCH,
          StructuredPruner.DEFAULT_LATENCY_REPEATS);
      System.out.print(latency);
      for (Map.Entry<String, KeepRule> rule : rules().entrySet()) {
        StructuredPruner.Builder b = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
            .keep(rule.getValue()).fineTuneSteps(fineTuneSteps).seed(seed);
        if (rule.getValue() instanceof KeepRule.LatencyFlops) {
          b.latencyTable(latency);
        }
        try (StructuredResult r = b.build().prune(dense, train)) {
          table.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.2f |%n", rule.getKey(),
              widths(r.model()), 1 / r.flopsReduction(),
              100 * r.model().evaluate(test).accuracy()));
        }
        System.out.print(table);
        System.out.flush();
      }
    }
  }

  /** The channels of every prunable group, in order. */
  private static String widths(Cnn model) {
    return ChannelGroups.of(model.architecture()).prunable().stream()
        .map(g -> String.valueOf(g.channels())).collect(Collectors.joining(", "));
  }

  private static void time(List<String> labels, List<Cnn> models, Dataset test, int rounds,
      int smallRepeats, int largeRepeats) throws IOException, OrtException {
    int n = models.size();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path dir = Files.createTempDirectory("structured-speedup");
    List<OrtSession> sessions = new ArrayList<>();
    List<Predictor> tf = new ArrayList<>();
    Dataset large = test.subset(0, 1000);
    float[] pixels = new float[1000 * test.imageSize()];
    for (int i = 0; i < 1000; i++) {
      System.arraycopy(test.image(i), 0, pixels, i * test.imageSize(), test.imageSize());
    }
    long[] shape = {1000, test.height(), test.width(), test.channels()};
    float[] image = test.image(0);
    long[] one = {1, test.height(), test.width(), test.channels()};
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
        OnnxTensor single = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), one);
        OrtSession.SessionOptions options = OrtTiming.options(false)) {
      for (int m = 0; m < n; m++) {
        Path file = dir.resolve(m + ".onnx");
        models.get(m).exportOnnx(file);
        sessions.add(env.createSession(file.toString(), options));
        tf.add(models.get(m).tensorFlowPredictor());
      }
      // per column, per model, per round: ms per example
      double[][][] ms = new double[COLUMNS.length][n][rounds];
      for (int r = 0; r < rounds; r++) {
        List<List<Runnable>> bodies = List.of(new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>(), new ArrayList<>());
        for (int m = 0; m < n; m++) {
          Cnn model = models.get(m);
          Predictor t = tf.get(m);
          OrtSession s = sessions.get(m);
          bodies.get(0).add(() -> model.predict(large));
          bodies.get(1).add(() -> t.predict(image));
          bodies.get(2).add(() -> OrtTiming.run(s, input));
          bodies.get(3).add(() -> OrtTiming.run(s, single));
        }
        int[] batch = {1000, 1, 1000, 1};
        for (int c = 0; c < COLUMNS.length; c++) {
          boolean small = batch[c] == 1;
          List<Double> medians = MedianTimer.alternate(bodies.get(c),
              small ? Math.max(1, smallRepeats / 5) : 1, small ? smallRepeats : largeRepeats);
          for (int m = 0; m < n; m++) {
            ms[c][m][r] = medians.get(m) * 1e3 / batch[c];
          }
        }
        System.out.printf(Locale.ROOT, "%nAfter round %d of %d (%s):%n%s", r + 1, rounds,
            java.time.Instant.now(), table(labels, models, ms, r + 1));
        System.out.flush();
      }
    } finally {
      for (OrtSession s : sessions) {
        s.close();
      }
      tf.forEach(Predictor::close);
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }

  /** The Markdown table of the first {@code done} rounds. */
  static String table(List<String> labels, List<Cnn> models, double[][][] ms, int done) {
    StringBuilder sb = new StringBuilder("| network | widths per group | multiply-adds of dense");
    for (String c : COLUMNS) {
      sb.append(" | ").append(c).append(" ms/ex | ").append(c).append(" speed-up");
    }
    sb.append(" |\n|").append(" --- |".repeat(3 + 2 * COLUMNS.length)).append('\n');
    long denseMacs = Flops.perExample(models.get(0).architecture());
    for (int m = 0; m < models.size(); m++) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f", labels.get(m),
          widths(models.get(m)),
          (double) Flops.perExample(models.get(m).architecture())
              / denseMacs));
      for (int c = 0; c < COLUMNS.length; c++) {
        sb.append(String.format(Locale.ROOT, " | %.4f | %.2f",
            ResNetWidths.median(Arrays.copyOf(ms[c][m], done)), speedUp(ms[c], m, done)));
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The speed-up of network {@code m} over network 0 (the dense one) in one column: the median
   * over the first {@code done} rounds of network 0's time over network {@code m}'s in the same
   * round, so that load drifting between rounds cancels.
   *
   * @param column per network, per round: a time
   */
  static double speedUp(double[][] column, int m, int done) {
    double[] ratio = new double[done];
    for (int r = 0; r < done; r++) {
      ratio[r] = column[0][r] / column[m][r];
    }
    return ResNetWidths.median(ratio);
  }
}
