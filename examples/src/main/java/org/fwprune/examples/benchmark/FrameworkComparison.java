package org.fwprune.examples.benchmark;

import org.fwprune.core.check.Require;
import org.fwprune.examples.reproduce.Network;
import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.math.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;

/**
 * Times, for one network, what bench/compare-pytorch.sh sets against PyTorch: training images/s
 * of {@link Cnn#fit} with SGD and momentum (the median over timed chunks of steps, after untimed
 * warm-up steps), and {@link Cnn#predict} milliseconds per example at batch 1 and 1000 (the
 * median of {@link InferenceTimer}'s calls on consecutive test batches). bench/pytorch_bench.py
 * measures the same quantities the same way and prints a line of the same keys.
 */
public final class FrameworkComparison {

  /**
   * How to time training and inference.
   *
   * @param batchSize examples per step, in [1, 65536]
   * @param warmupSteps untimed steps before the chunks, at least 0
   * @param chunks timed chunks, at least 1
   * @param chunkSteps steps per chunk, at least 1
   * @param learningRate SGD learning rate, in (0, 10]
   * @param momentum momentum, in [0, 1)
   * @param smallBatchRepeats timed {@code predict} calls at batch 1, in [1, 1e6], after a quarter
   *     as many untimed
   * @param largeBatchRepeats timed {@code predict} calls at batch 1000, in [1, 1e6], after a
   *     sixth as many untimed (at least one)
   */
  public record Settings(int batchSize, int warmupSteps, int chunks, int chunkSteps,
      double learningRate, double momentum, int smallBatchRepeats, int largeBatchRepeats) {
    /** Checks the ranges. */
    public Settings {
      Require.inClosed("batch size", batchSize, 1, 65_536);
      checkArgument(warmupSteps >= 0, "warm-up steps must be >= 0, got %s", warmupSteps);
      checkArgument(chunks >= 1, "chunks must be >= 1, got %s", chunks);
      checkArgument(chunkSteps >= 1, "chunk steps must be >= 1, got %s", chunkSteps);
      Require.inOpenClosed("learning rate", learningRate, 0, 10);
      Require.inClosedOpen("momentum", momentum, 0, 1);
      Require.inClosed("batch-1 repeats", smallBatchRepeats, 1, 1_000_000);
      Require.inClosed("batch-1000 repeats", largeBatchRepeats, 1, 1_000_000);
    }
  }

  private FrameworkComparison() {}

  /**
   * One line of kind {@code comparable} for {@code network} (seed 42) trained on {@code train} and
   * timed on {@code test} with {@code threads} intra-op threads (0 = every core).
   */
  public static Map<String, Object> run(Network network, Dataset train, Dataset test,
      int threads, Settings s) {
    try (Cnn model = network.build(42, threads)) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("kind", "comparable");
      line.put("framework", "fwprune");
      line.put("network", network.id());
      line.put("parameters", model.parameterCount());
      line.put("batch_size", s.batchSize());
      line.put("warmup_steps", s.warmupSteps());
      line.put("timed_steps", s.chunks() * s.chunkSteps());
      long seed = 1;
      if (s.warmupSteps() > 0) {
        fit(model, train, s, s.warmupSteps(), seed++);
      }
      List<Double> rates = new ArrayList<>();
      double lastLoss = Double.NaN;
      for (int i = 0; i < s.chunks(); i++) {
        History h = fit(model, train, s, s.chunkSteps(), seed++);
        rates.add(round1(s.chunkSteps() * (double) s.batchSize() / h.seconds()));
        lastLoss = h.last().loss();
      }
      line.put("train_images_per_s", round1(Quantiles.median().compute(rates)));
      line.put("train_images_per_s_chunks", rates);
      line.put("last_loss", Math.round(lastLoss * 1e4) / 1e4);
      int large = Math.min(1000, test.size());
      // The warm-up shares are bench/pytorch_bench.py's too.
      line.put("predict_ms_per_example_batch_1", round5(InferenceTimer.measure(model, test, 1,
          s.smallBatchRepeats() / 4, s.smallBatchRepeats()).msPerExample()));
      line.put("predict_ms_per_example_batch_" + large, round5(InferenceTimer.measure(model, test,
          large, Math.max(1, s.largeBatchRepeats() / 6), s.largeBatchRepeats()).msPerExample()));
      return line;
    }
  }

  /** {@code steps} steps of SGD with momentum as {@code s} says, from batch order {@code seed}. */
  static History fit(Cnn model, Dataset train, Settings s, int steps, long seed) {
    return model.fit(train, Training.builder()
        .optimizer(Optimizers.momentum(s.learningRate(), s.momentum()))
        .batchSize(s.batchSize()).steps(steps).seed(seed).build());
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round5(double v) {
    return Math.round(v * 100_000) / 100_000.0;
  }
}
