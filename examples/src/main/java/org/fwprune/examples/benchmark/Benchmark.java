package org.fwprune.examples.benchmark;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.runtime.Devices;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.History;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.engine.EngineProbe;
import org.fwprune.examples.engine.ReferenceLoop;
import org.fwprune.examples.reproduce.Network;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.SparsityMeter;
import org.fwprune.pruning.scope.Scope;
import org.fwprune.pruning.structured.Flops;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Measures, in one process, what the performance issue asks: training throughput of the library
 * against a plain TF Java loop, the cost of a Frank-Wolfe and a masked fine-tune step against a
 * plain SGD step, whole pruning runs, inference time of dense, pruned and exported models, the
 * size, FLOPs and inference time of a structure-pruned model next to the dense and unstructured
 * ones, and peak resident memory. Each figure is emitted as a map (one JSON line in the CLI).
 */
public final class Benchmark {

  /**
   * What to measure.
   *
   * @param train training data (28x28x1)
   * @param test data for inference timing
   * @param batchSize training batch size
   * @param threads intra-op threads (0 = every core)
   * @param stepRepeats timed repetitions of single steps
   * @param workDir folder for the exported SavedModel
   */
  public record Config(Dataset train, Dataset test, int batchSize, int threads, int stepRepeats,
      Path workDir) {}

  /** Untimed {@code predict} calls at batch 1 in the structured comparison. */
  static final int SMALL_BATCH_WARMUP = 200;
  /** Timed {@code predict} calls at batch 1 (docs/structured.md's convention). */
  static final int SMALL_BATCH_REPEATS = 1000;
  /** Untimed {@code predict} calls at batch 1000 in the structured comparison. */
  static final int LARGE_BATCH_WARMUP = 5;
  /** Timed {@code predict} calls at batch 1000. */
  static final int LARGE_BATCH_REPEATS = 40;

  private Benchmark() {}

  /** Runs every measurement, passing each result to {@code out} as soon as it is known. */
  public static void run(Config c, Consumer<Map<String, Object>> out) throws IOException {
    // The process's first session sizes TensorFlow's thread pools: let it be a model's, with
    // the threads asked for, not the device listing's.
    try (Cnn first = paper(c)) {
      out.accept(environment(c));
    }
    trainingThroughput(c, out);
    stepCosts(c, out);
    inference(c, out);
    out.accept(ordered("kind", "memory", "peak_rss_mb", peakRssMb()));
  }

  /**
   * Times training against a plain TF Java loop and inference, for {@code network}; see
   * {@link NetworkBenchmark}.
   *
   * @param stepsPerChunk training steps per timed chunk (six chunks per loop)
   */
  public static void runNetwork(Config c, Network network,
      int stepsPerChunk, Consumer<Map<String, Object>> out) {
    out.accept(environment(c));
    NetworkBenchmark.run(c, network, stepsPerChunk, out);
    out.accept(ordered("kind", "memory", "peak_rss_mb", peakRssMb()));
  }

  /**
   * Times one session thread setting instead of running the benchmark; see {@link ThreadSweep}.
   */
  public static void threadTiming(Config c, Network network, int interOpThreads,
      Consumer<Map<String, Object>> out) {
    out.accept(ThreadSweep.run(network, c.train(), c.test(), c.batchSize(), c.stepRepeats(),
        new ExecutionOptions.Threads(c.threads(), interOpThreads)));
    out.accept(environment(c));
  }

  /** TensorFlow's version, the cores, the threads asked for and the devices found. */
  private static Map<String, Object> environment(Config c) {
    // Each listing opens a TensorFlow session: list once.
    List<Devices.Device> devices = Devices.list();
    return ordered("kind", "environment", "tensorflow", org.tensorflow.TensorFlow.version(),
        "cores", Runtime.getRuntime().availableProcessors(), "threads", c.threads(),
        "device", Devices.describe(devices), "devices", devices.stream()
            .map(d -> d.name() + " (" + d.memoryBytes() / (1 << 20) + " MiB)").toList(),
        "os_arch", System.getProperty("os.arch"));
  }

  private static Cnn paper(Config c) {
    return PaperNetwork.builder().seed(42).threads(c.threads(), 0).build();
  }

  /**
   * Chunks of the timed epoch; the library and the two reference loops take turns chunk by chunk,
   * each going first in a third of the chunks.
   */
  static final int THROUGHPUT_CHUNKS = 9;

  /** One timed stretch of training: steps and a shuffling seed in, seconds out. */
  interface Chunk {
    double seconds(int steps, long seed);
  }

  private static void trainingThroughput(Config c, Consumer<Map<String, Object>> out) {
    int steps = (c.train().size() + c.batchSize() - 1) / c.batchSize();
    int perChunk = (steps + THROUGHPUT_CHUNKS - 1) / THROUGHPUT_CHUNKS;
    double[] seconds = new double[3];
    try (Cnn model = paper(c);
        ReferenceLoop plain = new ReferenceLoop(ReferenceLoop.ForwardGraph.PLAIN, 0.05, 42,
            c.threads());
        ReferenceLoop same = new ReferenceLoop(ReferenceLoop.ForwardGraph.LIBRARY, 0.05, 42,
            c.threads())) {
      List<Chunk> loops = List.of(
          (n, seed) -> model.fit(c.train(), Training.builder().batchSize(c.batchSize())
              .steps(n).seed(seed).build()).seconds(),
          (n, seed) -> plain.train(c.train(), c.batchSize(), n, seed),
          (n, seed) -> same.train(c.train(), c.batchSize(), n, seed));
      loops.forEach(loop -> loop.seconds(50, 1));
      // At least one epoch each, in chunks whose order rotates, so that a slow spell of the
      // shared machine or a JIT pause hits every loop alike.
      for (int i = 0; i < THROUGHPUT_CHUNKS; i++) {
        for (int j = 0; j < loops.size(); j++) {
          int k = (i + j) % loops.size();
          seconds[k] += loops.get(k).seconds(perChunk, 2 + i);
        }
      }
    }
    double images = (double) perChunk * THROUGHPUT_CHUNKS * c.batchSize();
    double library = images / seconds[0];
    double reference = images / seconds[1];
    double sameGraph = images / seconds[2];
    out.accept(ordered("kind", "training_throughput", "batch_size", c.batchSize(),
        "timed_steps_each", perChunk * THROUGHPUT_CHUNKS,
        "library_images_per_s", round(library), "reference_images_per_s", round(reference),
        "ratio_library_to_reference", round3(library / reference),
        "reference_library_graph_images_per_s", round(sameGraph),
        "ratio_library_to_reference_library_graph", round3(library / sameGraph)));
  }

  private static void stepCosts(Config c, Consumer<Map<String, Object>> out) {
    try (Cnn model = paper(c)) {
      model.fit(c.train(), Training.builder().batchSize(c.batchSize()).steps(100).build());
      EngineProbe.StepCosts costs = EngineProbe.stepCosts(model, c.train(), c.batchSize(),
          c.stepRepeats());
      double sgdStep = costs.sgdSeconds();
      double fineTuneStep = costs.fineTuneSeconds();
      double fwStep = costs.fwMomentumSeconds();
      out.accept(ordered("kind", "step_cost", "sgd_step_ms", ms(sgdStep),
          "magnitude_fine_tune_step_ms", ms(fineTuneStep), "fw_momentum_step_ms", ms(fwStep),
          "ratio_fine_tune_to_sgd", round3(fineTuneStep / sgdStep),
          "ratio_fw_momentum_to_sgd", round3(fwStep / sgdStep),
          "fw_momentum_step_includes",
          "gradient, moving average, LMO, FW update, global re-threshold"));
    }
    try (Cnn a = paper(c); Cnn b = paper(c)) {
      PruningReport fw = FwPruner.builder().build().prune(a, c.train());
      PruningReport mag = MagnitudePruner.builder().build().prune(b, c.train());
      out.accept(ordered("kind", "pruning_run", "budget_gradient_evaluations",
          fw.gradientEvaluations(), "fw_momentum_seconds", round3(fw.seconds()),
          "gradual_magnitude_seconds", round3(mag.seconds()),
          "ratio_fw_to_magnitude", round3(fw.seconds() / mag.seconds())));
    }
  }

  private static void inference(Config c, Consumer<Map<String, Object>> out) throws IOException {
    Dataset one = c.test().subset(0, 1);
    Dataset thousand = c.test().subset(0, Math.min(1000, c.test().size()));
    try (Cnn dense = paper(c)) {
      dense.fit(c.train(), Training.builder().batchSize(c.batchSize()).steps(200).build());
      try (Cnn pruned = dense.copy()) {
        FwPruner.builder().steps(100).build().prune(pruned, c.train());
        Path denseExport = export(dense, c.workDir().resolve("dense-savedmodel"));
        Path prunedExport = export(pruned, c.workDir().resolve("pruned-savedmodel"));
        try (SavedModelBundle denseBundle = SavedModelBundle.load(denseExport.toString());
            SavedModelBundle prunedBundle = SavedModelBundle.load(prunedExport.toString())) {
          for (Dataset data : List.of(one, thousand)) {
            int reps = data.size() == 1 ? 400 : 30;
            // The four models take turns call by call, so that drift hits them alike.
            List<Double> t = MedianTimer.alternate(List.of(
                () -> dense.predict(data), () -> pruned.predict(data),
                () -> callBundle(denseBundle, data), () -> callBundle(prunedBundle, data)),
                reps / 5, reps);
            double d = t.get(0) / data.size();
            double p = t.get(1) / data.size();
            double sd = t.get(2) / data.size();
            double sp = t.get(3) / data.size();
            out.accept(ordered("kind", "inference", "batch_size", data.size(),
                "dense_ms_per_example", ms(d), "pruned_in_library_ms_per_example", ms(p),
                "dense_savedmodel_ms_per_example", ms(sd),
                "pruned_savedmodel_ms_per_example", ms(sp), "ratio_pruned_to_dense", round3(p / d),
                "ratio_pruned_savedmodel_to_dense_savedmodel", round3(sp / sd),
                "ratio_savedmodel_to_dense", round3(sp / d)));
          }
        }
        out.accept(structured(c.train(), c.test(), dense, pruned));
      }
    }
  }

  /** Exports {@code model} to {@code dir}, replacing what a previous run left there. */
  private static Path export(Cnn model, Path dir) throws IOException {
    if (Files.exists(dir)) {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    }
    model.exportSavedModel(dir);
    return dir;
  }

  /**
   * One line comparing {@code dense}, its unstructured-pruned copy {@code unstructured} and a
   * structure-pruned network that {@link StructuredPruner} (its defaults, 100 fine-tune steps,
   * the budget of the unstructured pruning) builds from {@code dense}: parameters, non-zero
   * kernel weights, multiply-adds per example ({@link Flops}), test accuracy and inference
   * milliseconds per example at batch 1 and 1000 (or the whole of {@code test} if smaller), the
   * three models timed in alternation by {@link InferenceTimer}, with each model's ratios to
   * dense.
   */
  static Map<String, Object> structured(Dataset train, Dataset test, Cnn dense,
      Cnn unstructured) {
    int large = Math.min(1000, test.size());
    try (StructuredResult structured = StructuredPruner.builder().fineTuneSteps(100).build()
        .prune(dense, train)) {
      Map<String, Cnn> models = new LinkedHashMap<>();
      models.put("dense", dense);
      models.put("unstructured_fw", unstructured);
      models.put("structured_fw", structured.model());
      List<Cnn> timed = List.copyOf(models.values());
      List<InferenceTimer.Timing> small = InferenceTimer.measure(timed, test, 1,
          SMALL_BATCH_WARMUP, SMALL_BATCH_REPEATS);
      List<InferenceTimer.Timing> big = InferenceTimer.measure(timed, test, large,
          LARGE_BATCH_WARMUP, LARGE_BATCH_REPEATS);
      List<Map<String, Object>> rows = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, Cnn> e : models.entrySet()) {
        Cnn m = e.getValue();
        long nonZeros = SparsityMeter.measure(m).stream()
            .mapToLong(PruningReport.LayerSparsity::nonZeros).sum();
        long flops = Flops.perExample(m.architecture());
        rows.add(ordered("model", e.getKey(), "parameters", m.parameterCount(),
            "nonzero_kernel_weights", nonZeros, "flops_per_example", flops,
            "test_accuracy", round4(m.evaluate(test).accuracy()),
            "ms_per_example_batch_1", round5(small.get(i).msPerExample()),
            "ms_per_example_batch_" + large, round5(big.get(i).msPerExample()),
            "parameters_ratio_to_dense", round3((double) m.parameterCount()
                / dense.parameterCount()),
            "flops_ratio_to_dense", round3((double) flops / Flops.perExample(dense.architecture())),
            "time_ratio_to_dense_batch_1",
            round3(small.get(i).medianSeconds() / small.get(0).medianSeconds()),
            "time_ratio_to_dense_batch_" + large,
            round3(big.get(i).medianSeconds() / big.get(0).medianSeconds())));
        i++;
      }
      return ordered("kind", "structured", "structured_kept_filters", structured.keptCounts(),
          "timing", "median of " + SMALL_BATCH_REPEATS + " predict calls at batch 1 and "
              + LARGE_BATCH_REPEATS + " at batch " + large + ", models in alternation",
          "models", rows);
    }
  }

  private static void callBundle(SavedModelBundle bundle, Dataset data) {
    float[] images = new float[data.size() * data.imageSize()];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(data.image(i), 0, images, i * data.imageSize(), data.imageSize());
    }
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(data.size(), data.height(), data.width(),
        data.channels()))) {
      x.asRawTensor().data().asFloats().write(images);
      try (Result r = bundle.call(Map.of(Cnn.SAVED_MODEL_INPUT, x))) {
        r.get(Cnn.SAVED_MODEL_OUTPUT).orElseThrow();
      }
    }
  }

  /** Peak resident set size (VmHWM) of this process in MB, or -1 off Linux. */
  static double peakRssMb() {
    try {
      return round(ProcessMemory.peakResidentKb() / 1024.0);
    } catch (IOException e) {
      return -1;
    }
  }

  static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static double ms(double seconds) {
    return Math.round(seconds * 1e6) / 1e3;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  static double round5(double v) {
    return Math.round(v * 100_000) / 100_000.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
