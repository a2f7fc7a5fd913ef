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
import java.util.Random;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.serving.Predictor;
import org.fwprune.pruning.structured.ChannelGroups;
import org.fwprune.pruning.structured.Flops;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.LatencyTable;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;

/**
 * Dense and structurally pruned Keras-applications networks timed side by side (issue 28,
 * "Measured", and issue 29, ask 4): each {@code .keras} file is loaded with
 * {@link Cnn#loadKeras(Path, ExecutionOptions)}, cut to half its multiply-adds by
 * {@link StructuredPruner} (L1 ranking, no fine-tune and no BatchNorm recalibration: only speed is
 * measured, and it does not depend on the weights) under each keep rule of {@link #rules()}, and
 * then the dense and smaller networks take turns call by call ({@link MedianTimer#alternate}) in
 * each of six columns, in each round: {@code Cnn.predictor()} on one image (ONNX Runtime when
 * fwprune-onnxruntime is on the class path, as in this module), the exported ONNX file in an
 * {@code OrtSession} with the predictor engine's options but intra-op spinning off
 * ({@link OrtTiming}) on one image and on 32 images, the same with spinning on (the engine's
 * setting) on one image, the TensorFlow session predictor ({@code Cnn.tensorFlowPredictor()}) on one image and
 * {@code Cnn.predict} on 32 images. A speed-up is the median over rounds of the dense network's
 * median over the smaller one's in the same round ({@link StructuredSpeedup#speedUp}). Inputs are
 * uniform random images. The table is printed after every round.
 *
 * <p>The latency-guided rule {@code KeepRule.flops(0.5)} is not among the rules: its table times
 * one whole network per (channel group, width), which {@code latency-cost} estimates.
 *
 * <pre>
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.FamilySpeedup THREADS ROUNDS
 *     BATCH_1_REPEATS BATCH_32_REPEATS FILE.keras...
 * java -cp examples/target/fwprune.jar org.fwprune.examples.benchmark.FamilySpeedup latency-cost
 *     THREADS LATENCY_BATCH FILE.keras
 * </pre>
 */
public final class FamilySpeedup {

  /** The larger batch of issue 29's 224x224 figures. */
  public static final int LARGE_BATCH = 32;
  /** The fraction of the dense network's multiply-adds the smaller ones may keep. */
  public static final double FRACTION = 0.5;

  /** Column headers, in timing order. */
  static final List<String> COLUMNS = List.of("predictor() b1", "ORT session b1",
      "ORT spinning b1", "ORT session b32", "TF session b1", "TF predict b32");
  private static final int[] BATCH = {1, 1, 1, LARGE_BATCH, 1, LARGE_BATCH};

  /** One network of the comparison: its label, parameters and multiply-adds per image. */
  public record Network(String label, long parameters, long multiplyAdds) {}

  /**
   * A finished comparison of one family.
   *
   * @param family the family's name, e.g. the file name without {@code .keras}
   * @param engine the engine of the dense network's {@code Cnn.predictor()}
   * @param networks the dense network first, then one per rule
   * @param ms per column, per network, per round: milliseconds per image
   * @param rounds the rounds done
   */
  public record Comparison(String family, String engine, List<Network> networks, double[][][] ms,
      int rounds) {
    /** Copies the list. */
    public Comparison {
      networks = List.copyOf(networks);
    }

    /** Median over rounds of network {@code m}'s milliseconds per image in {@code column}. */
    public double msPerImage(int column, int m) {
      return ResNetWidths.median(Arrays.copyOf(ms[column][m], rounds));
    }

    /** The dense network's time over network {@code m}'s in {@code column}; see the class. */
    public double speedUp(int column, int m) {
      return StructuredSpeedup.speedUp(ms[column], m, rounds);
    }

    /** The Markdown table: one row per network. */
    public String table() {
      StringBuilder sb = new StringBuilder("| family | network | parameters | multiply-adds per"
          + " image | of dense");
      for (String c : COLUMNS) {
        sb.append(" | ").append(c).append(" ms/image | ").append(c).append(" speed-up");
      }
      sb.append(" |\n|").append(" --- |".repeat(5 + 2 * COLUMNS.size())).append('\n');
      Network dense = networks.get(0);
      for (int m = 0; m < networks.size(); m++) {
        Network n = networks.get(m);
        sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.3f", family, n.label(),
            n.parameters(), n.multiplyAdds(), (double) n.multiplyAdds() / dense.multiplyAdds()));
        for (int c = 0; c < COLUMNS.size(); c++) {
          sb.append(String.format(Locale.ROOT, " | %.3f | %.2f", msPerImage(c, m),
              speedUp(c, m)));
        }
        sb.append(" |\n");
      }
      return sb.toString();
    }
  }

  private FamilySpeedup() {}

  /** The keep rules timed against the dense network, by label: uniform and rounded to 8. */
  public static Map<String, KeepRule> rules() {
    Map<String, KeepRule> out = new LinkedHashMap<>();
    out.put("uniformFlops(0.5)", KeepRule.uniformFlops(FRACTION));
    out.put("flops(0.5, 8)", KeepRule.flops(FRACTION, 8));
    return out;
  }

  /**
   * Prunes {@code dense} under every rule of {@link #rules()} and times the networks.
   *
   * @param family the label of the table's rows
   * @param dense the network to prune; left as it was
   * @param rounds timed rounds, in [1, 1000]
   * @param smallRepeats timed batch-1 calls per network per round, in [1, 1e6]
   * @param largeRepeats timed batch-32 calls per network per round, in [1, 1e6]
   * @param progress receives the table after every round, and a line per pruned network
   */
  public static Comparison run(String family, Cnn dense, int rounds, int smallRepeats,
      int largeRepeats, java.util.function.Consumer<String> progress)
      throws IOException, OrtException {
    checkArgument(family != null && !family.isBlank(), "family must be a non-empty name");
    checkArgument(dense != null, "dense must not be null");
    Require.inClosed("rounds", rounds, 1, 1000);
    Require.inClosed("batch-1 repeats", smallRepeats, 1, 1_000_000);
    Require.inClosed("batch-32 repeats", largeRepeats, 1, 1_000_000);
    Architecture a = dense.architecture();
    Random random = new Random(1);
    List<Network> networks = new ArrayList<>(List.of(new Network("dense",
        dense.parameterCount(), Flops.perExample(a))));
    List<Cnn> models = new ArrayList<>(List.of(dense));
    List<StructuredResult> results = new ArrayList<>();
    try {
      // L1 ranking needs no data; prune only checks that the data fits the model.
      Dataset fits = Roofline.randomImages(a, 2, random);
      for (Map.Entry<String, KeepRule> rule : rules().entrySet()) {
        StructuredResult r = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
            .keep(rule.getValue()).fineTuneSteps(0).batchNormRecalibration(0).build()
            .prune(dense, fits);
        results.add(r);
        models.add(r.model());
        networks.add(new Network(rule.getKey(), r.parametersAfter(), r.flopsAfter()));
        progress.accept(String.format(Locale.ROOT, "%s %s: pruned in %.1f s, %d of %d groups"
            + " pruned, multiply-adds %.3f of dense", family, rule.getKey(), r.seconds(),
            r.layers().size(), ChannelGroups.of(a).groups().size(), 1 / r.flopsReduction()));
      }
      return time(family, networks, models, rounds, smallRepeats, largeRepeats, random,
          progress);
    } finally {
      results.forEach(StructuredResult::close);
    }
  }

  private static Comparison time(String family, List<Network> networks, List<Cnn> models,
      int rounds, int smallRepeats, int largeRepeats, Random random,
      java.util.function.Consumer<String> progress) throws IOException, OrtException {
    int n = models.size();
    Architecture a = models.get(0).architecture();
    Dataset large = Roofline.randomImages(a, LARGE_BATCH, random);
    float[] pixels = new float[LARGE_BATCH * large.imageSize()];
    for (int i = 0; i < LARGE_BATCH; i++) {
      System.arraycopy(large.image(i), 0, pixels, i * large.imageSize(), large.imageSize());
    }
    float[] image = large.image(0);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path dir = Files.createTempDirectory("family-speedup");
    List<OrtSession> sessions = new ArrayList<>();
    List<Predictor> predictors = new ArrayList<>();
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels),
            new long[] {LARGE_BATCH, a.height(), a.width(), a.channels()});
        OnnxTensor single = OnnxTensor.createTensor(env, FloatBuffer.wrap(image),
            new long[] {1, a.height(), a.width(), a.channels()});
        OrtSession.SessionOptions options = OrtTiming.options(false);
        OrtSession.SessionOptions spinningOptions = OrtTiming.options(true)) {
      List<List<Runnable>> bodies = new ArrayList<>();
      COLUMNS.forEach(c -> bodies.add(new ArrayList<>()));
      for (int m = 0; m < n; m++) {
        Cnn model = models.get(m);
        Path file = dir.resolve(m + ".onnx");
        model.exportOnnx(file);
        OrtSession session = env.createSession(file.toString(), options);
        sessions.add(session);
        OrtSession spinning = env.createSession(file.toString(), spinningOptions);
        sessions.add(spinning);
        Predictor fastest = model.predictor();
        predictors.add(fastest);
        Predictor tf = model.tensorFlowPredictor();
        predictors.add(tf);
        bodies.get(0).add(() -> fastest.predict(image));
        bodies.get(1).add(() -> OrtTiming.run(session, single));
        bodies.get(2).add(() -> OrtTiming.run(spinning, single));
        bodies.get(3).add(() -> OrtTiming.run(session, input));
        bodies.get(4).add(() -> tf.predict(image));
        bodies.get(5).add(() -> model.predict(large));
      }
      String engine = predictors.get(0).engine();
      double[][][] ms = new double[COLUMNS.size()][n][rounds];
      Comparison out = null;
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < COLUMNS.size(); c++) {
          boolean small = BATCH[c] == 1;
          // Large batches take seconds at 224x224: one untimed call each, in the first round.
          int warmup = small ? Math.max(1, smallRepeats / 5) : r == 0 ? 1 : 0;
          List<Double> medians = MedianTimer.alternate(bodies.get(c), warmup,
              small ? smallRepeats : largeRepeats);
          for (int m = 0; m < n; m++) {
            ms[c][m][r] = medians.get(m) * 1e3 / BATCH[c];
          }
        }
        out = new Comparison(family, engine, networks, ms, r + 1);
        progress.accept(String.format(Locale.ROOT, "%nAfter round %d of %d (%s), predictor()"
            + " engine %s:%n%s", r + 1, rounds, java.time.Instant.now(), engine, out.table()));
      }
      return out;
    } finally {
      for (OrtSession s : sessions) {
        s.close();
      }
      predictors.forEach(Predictor::close);
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }

  /**
   * What a latency table ({@link LatencyTable#measure}) of a network would cost, from one measured
   * network.
   *
   * @param latencyBatch images per timed call
   * @param networks networks the table builds and times: one per prunable group and width
   * @param widestGroup networks of the group with the most widths, all built at once
   * @param parameters parameters of the whole network, the largest of them
   * @param buildSeconds seconds to build one network (and at batch 1 its predictor)
   * @param callSeconds median seconds of one call
   * @param callsPerNetwork {@link LatencyTable#WARMUP} plus the pruner's default repeats
   */
  public record LatencyCost(int latencyBatch, int networks, int widestGroup, long parameters,
      double buildSeconds, double callSeconds, int callsPerNetwork) {
    /** networks x (build + calls per network x call), in seconds. */
    public double estimateSeconds() {
      return networks * (buildSeconds + callsPerNetwork * callSeconds);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "latency table at batch %d: %d networks (widest group %d"
          + " networks built at once, %,d parameters each at most); one network built in %.2f s,"
          + " one call %.3f s (median of 3 after 1); estimate %d x (%.2f + %d x %.3f) = %.0f s"
          + " (%.1f h)", latencyBatch, networks, widestGroup, parameters, buildSeconds,
          callSeconds, networks, buildSeconds, callsPerNetwork, callSeconds, estimateSeconds(),
          estimateSeconds() / 3600);
    }
  }

  /**
   * Estimates what {@link LatencyTable#measure} would cost on {@code dense} at
   * {@code latencyBatch} images per call, from one build of the whole network (with its
   * {@code predictor()} at batch 1, as the table does) and three timed calls after one untimed.
   *
   * @param latencyBatch in [1, 1024]
   */
  public static LatencyCost latencyCost(Cnn dense, int latencyBatch) {
    checkArgument(dense != null, "dense must not be null");
    Require.inClosed("latency batch size", latencyBatch, 1, 1024);
    Architecture a = dense.architecture();
    int networks = 0;
    int widest = 0;
    for (ChannelGroups.Group g : ChannelGroups.of(a).prunable()) {
      int widths = LatencyTable.widths(g.channels()).size();
      networks += widths;
      widest = Math.max(widest, widths);
    }
    Dataset batch = Roofline.randomImages(a, latencyBatch, new Random(1));
    long start = System.nanoTime();
    try (Cnn copy = Cnn.of(a, dense.executionOptions());
        Predictor predictor = latencyBatch == 1 ? copy.predictor() : null) {
      double build = (System.nanoTime() - start) / 1e9;
      float[] image = batch.image(0);
      Runnable call = predictor != null ? () -> predictor.predict(image)
          : () -> copy.predict(batch);
      double callSeconds = MedianTimer.median(1, 3, call);
      return new LatencyCost(latencyBatch, networks, widest, dense.parameterCount(), build,
          callSeconds, LatencyTable.WARMUP + StructuredPruner.DEFAULT_LATENCY_REPEATS);
    }
  }

  /** Runs the comparison on every file, or {@code latency-cost}; see the class. */
  public static void main(String[] args) throws IOException, OrtException {
    if (args.length > 0 && args[0].equals("latency-cost")) {
      checkArgument(args.length == 4, "usage: FamilySpeedup latency-cost THREADS LATENCY_BATCH"
          + " FILE.keras; got %s arguments", args.length);
      long start = System.nanoTime();
      try (Cnn dense = Cnn.loadKeras(Path.of(args[3]), options(args[1]))) {
        System.out.printf(Locale.ROOT, "%s loaded in %.1f s%n", args[3],
            (System.nanoTime() - start) / 1e9);
        System.out.println(latencyCost(dense, Integer.parseInt(args[2])));
      }
      return;
    }
    checkArgument(args.length >= 5, "usage: FamilySpeedup THREADS ROUNDS BATCH_1_REPEATS"
        + " BATCH_32_REPEATS FILE.keras...; got %s arguments", args.length);
    ExecutionOptions options = options(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int smallRepeats = Integer.parseInt(args[2]);
    int largeRepeats = Integer.parseInt(args[3]);
    for (String file : Arrays.copyOfRange(args, 4, args.length)) {
      Path path = Path.of(file);
      String family = path.getFileName().toString().replaceFirst("\\.keras$", "");
      long start = System.nanoTime();
      try (Cnn dense = Cnn.loadKeras(path, options)) {
        System.out.printf(Locale.ROOT, "%s loaded in %.1f s%n", family,
            (System.nanoTime() - start) / 1e9);
        run(family, dense, rounds, smallRepeats, largeRepeats, line -> {
          System.out.println(line);
          System.out.flush();
        });
      }
      System.out.printf(Locale.ROOT, "%s done in %.1f s%n", family,
          (System.nanoTime() - start) / 1e9);
    }
  }

  private static ExecutionOptions options(String threads) {
    int t = Integer.parseInt(threads);
    Require.inClosed("threads", t, 0, ExecutionOptions.MAX_THREADS);
    return ExecutionOptions.builder().threads(t, 0).build();
  }
}
