package org.fwprune.pruning.structured;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluator;
import org.fwprune.core.model.Cnn;

/**
 * Measures inference time as a user sees it: the median wall time of repeated {@link Cnn#predict}
 * calls on batches of a fixed size, after warm-up (the JVM and TensorFlow need a few hundred calls
 * before timings settle). Several models are timed in alternation, call by call, so that a slow
 * spell of a shared machine hits them alike, and each round starts with a different model, so that
 * the order within a round does not favour one.
 */
public final class InferenceTimer {

  /**
   * One model's timing.
   *
   * @param batchSize examples per {@code predict} call
   * @param medianSeconds median wall time of one call
   * @param repeats timed calls
   */
  public record Timing(int batchSize, double medianSeconds, int repeats) {
    /** Median milliseconds per example. */
    public double msPerExample() {
      return 1000 * medianSeconds / batchSize;
    }
  }

  private InferenceTimer() {}

  /** Times one model; see {@link #measure(List, Dataset, int, int, int)}. */
  public static Timing measure(Cnn model, Dataset data, int batchSize, int warmup, int repeats) {
    return measure(List.of(model), data, batchSize, warmup, repeats).get(0);
  }

  /**
   * Times each model on batches of {@code batchSize} consecutive examples of {@code data} (cycling
   * through it), {@code warmup} untimed calls then {@code repeats} timed calls per model, the
   * models taking turns.
   *
   * @param batchSize in [1, {@value Evaluator#DEFAULT_BATCH_SIZE}] (a larger batch would be split
   *     by {@code predict}) and at most {@code data.size()}
   * @param warmup untimed calls per model, in [0, 1e6]
   * @param repeats timed calls per model, in [1, 1e6]
   */
  public static List<Timing> measure(List<Cnn> models, Dataset data, int batchSize, int warmup,
      int repeats) {
    checkArgument(models != null && !models.isEmpty(), "models must not be empty");
    checkArgument(data != null && data.size() > 0, "data must be a non-empty data set");
    checkArgument(batchSize >= 1 && batchSize <= Math.min(Evaluator.DEFAULT_BATCH_SIZE,
        data.size()), "batchSize must be in [1, %s], got %s",
        Math.min(Evaluator.DEFAULT_BATCH_SIZE, data.size()), batchSize);
    checkArgument(warmup >= 0 && warmup <= 1_000_000, "warmup must be in [0, 1000000], got %s",
        warmup);
    checkArgument(repeats >= 1 && repeats <= 1_000_000, "repeats must be in [1, 1000000], got %s",
        repeats);
    int batches = data.size() / batchSize;
    List<Dataset> inputs = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      inputs.add(data.subset(b * batchSize, (b + 1) * batchSize));
    }
    double[][] seconds = new double[models.size()][repeats];
    for (int i = 0; i < warmup + repeats; i++) {
      Dataset input = inputs.get(i % batches);
      for (int j = 0; j < models.size(); j++) {
        // Each round starts with the next model, so that no model always runs right after the
        // same one (the previous model's working set evicts caches).
        int m = (i + j) % models.size();
        long start = System.nanoTime();
        models.get(m).predict(input);
        if (i >= warmup) {
          seconds[m][i - warmup] = (System.nanoTime() - start) / 1e9;
        }
      }
    }
    List<Timing> out = new ArrayList<>();
    for (double[] s : seconds) {
      Arrays.sort(s);
      out.add(new Timing(batchSize, s[repeats / 2], repeats));
    }
    return out;
  }
}
