package org.fwprune.examples.benchmark;

import com.google.common.math.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.MedianTimer;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.runtime.Precision;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.Network;

/**
 * Float32, XLA and bfloat16 ({@link Precision#BFLOAT16_MIXED}) side by side on one network, in
 * one process: training images/s of {@link Cnn#fit} (SGD and momentum, the three models taking
 * turns chunk by chunk, each round starting with the next; median over chunks), {@link
 * Cnn#predict} ms/example at batch 1 and 1000 ({@link MedianTimer}, call by call in
 * alternation), and optionally test accuracy after the same short training of three fresh
 * models (seed 0, same batches).
 */
public final class PrecisionComparison {

  /** The settings compared, in order. */
  public enum Setting {
    /** Float32, no XLA: the default. */
    FLOAT32("float32", ExecutionOptions.DEFAULT),
    /** Float32 compiled with XLA's JIT. */
    XLA("xla", ExecutionOptions.builder().xla(true).build()),
    /** Products in bfloat16, the rest float32. */
    BFLOAT16("bfloat16_mixed", ExecutionOptions.builder()
        .precision(Precision.BFLOAT16_MIXED).build());

    private final String id;
    private final ExecutionOptions options;

    Setting(String id, ExecutionOptions options) {
      this.id = id;
      this.options = options;
    }

    ExecutionOptions options(int threads) {
      return options.toBuilder().threads(threads, 0).build();
    }
  }

  private PrecisionComparison() {}

  /**
   * Prints one {@code precision_timing} line per setting, then, when {@code accuracySteps > 0},
   * one {@code precision_accuracy} line per setting.
   *
   * @param accuracySteps steps of 128 of the accuracy run, in [0, 100000]; 0 skips it
   */
  public static void run(Network network, Dataset train, Dataset test, int threads,
      FrameworkComparison.Settings s, int accuracySteps, Consumer<Map<String, Object>> out) {
    Require.inClosed("accuracy steps", accuracySteps, 0, 100_000);
    Setting[] settings = Setting.values();
    List<Cnn> models = new ArrayList<>();
    try {
      for (Setting setting : settings) {
        models.add(Cnn.of(network.architecture(), setting.options(threads)));
      }
      List<List<Double>> rates = new ArrayList<>();
      for (Cnn m : models) {
        rates.add(new ArrayList<>());
        if (s.warmupSteps() > 0) {
          FrameworkComparison.fit(m, train, s, s.warmupSteps(), 1);
        }
      }
      for (int i = 0; i < s.chunks(); i++) {
        for (int j = 0; j < models.size(); j++) {
          int k = (i + j) % models.size();
          double seconds = FrameworkComparison.fit(models.get(k), train, s, s.chunkSteps(), 2 + i)
              .seconds();
          rates.get(k).add(Benchmark.round(s.chunkSteps() * (double) s.batchSize() / seconds));
        }
      }
      int large = Math.min(1000, test.size());
      List<Double> one = predictTimes(models, test, 1, s.smallBatchRepeats());
      List<Double> big = predictTimes(models, test, large, s.largeBatchRepeats());
      for (int k = 0; k < settings.length; k++) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "precision_timing");
        line.put("network", network.id());
        line.put("setting", settings[k].id);
        line.put("train_images_per_s", Benchmark.round(Quantiles.median().compute(rates.get(k))));
        line.put("train_images_per_s_chunks", rates.get(k));
        line.put("train_ratio_to_float32", Benchmark.round3(
            Quantiles.median().compute(rates.get(k)) / Quantiles.median().compute(rates.get(0))));
        line.put("predict_ms_per_example_batch_1", Benchmark.round5(one.get(k) * 1e3));
        line.put("predict_ms_per_example_batch_" + large,
            Benchmark.round5(big.get(k) * 1e3 / large));
        line.put("predict_ratio_to_float32_batch_1", Benchmark.round3(one.get(k) / one.get(0)));
        line.put("predict_ratio_to_float32_batch_" + large,
            Benchmark.round3(big.get(k) / big.get(0)));
        out.accept(line);
      }
    } finally {
      models.forEach(Cnn::close);
    }
    if (accuracySteps > 0) {
      accuracy(network, train, test, threads, accuracySteps, out);
    }
  }

  /** Median seconds of one {@code predict} call at {@code batch}, the models in alternation. */
  private static List<Double> predictTimes(List<Cnn> models, Dataset test, int batch,
      int repeats) {
    List<Runnable> bodies = new ArrayList<>();
    for (Cnn m : models) {
      int[] next = {0};
      bodies.add(() -> {
        int from = next[0];
        next[0] = (from + batch) % (test.size() - batch + 1);
        m.predict(test.subset(from, from + batch));
      });
    }
    return MedianTimer.alternate(bodies, Math.max(1, repeats / 5), repeats);
  }

  /** Test accuracy after {@code steps} steps from seed 0, the same batches for each setting. */
  private static void accuracy(Network network, Dataset train, Dataset test, int threads,
      int steps, Consumer<Map<String, Object>> out) {
    Training training = Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
        .batchSize(Training.DEFAULT_BATCH_SIZE).steps(steps).seed(0).build();
    double reference = Double.NaN;
    for (Setting setting : Setting.values()) {
      try (Cnn m = Cnn.of(network.architecture(), setting.options(threads))) {
        double seconds = m.fit(train, training).seconds();
        double accuracy = m.evaluate(test).accuracy();
        if (setting == Setting.FLOAT32) {
          reference = accuracy;
        }
        out.accept(Benchmark.ordered("kind", "precision_accuracy", "network", network.id(),
            "setting", setting.id, "steps", steps, "batch_size", Training.DEFAULT_BATCH_SIZE,
            "optimizer", "SGD momentum 0.9, lr 0.05",
            "test_accuracy", Benchmark.round5(accuracy),
            "points_vs_float32", Benchmark.round3(100 * (accuracy - reference)),
            "train_seconds", Benchmark.round(seconds)));
      }
    }
  }
}
